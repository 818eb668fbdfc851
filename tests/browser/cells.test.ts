import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { openSite, seriousAxeViolations, type Site } from './harness.ts';
import { typeInto } from './cellHelpers.ts';

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const about = 'lessons/00-about-this-site/';
const cell = (page: Page, id: string) => page.locator(`code-cell[data-cell-id="${id}"]`);

/** Waits until a cell settles in `state` (TF.js and WebGPU on SwiftShader are slow to start). */
async function waitForState(target: Locator, state: string, timeout = 60_000): Promise<void> {
  await target.locator(`xpath=self::*[@data-state="${state}"]`).waitFor({ timeout });
}

const liveTensors = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __reslab: { memory(): { numTensors: number } } }).__reslab.memory().numTensors,
  );

describe('notebook cells', () => {
  test('a lesson page loads no editor, transpiler or TF.js before the first run', async () => {
    const { page, problems } = await site.open(about);
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((name) => name.endsWith('.js')),
    );
    assert.ok(
      scripts.every((src) => !/runtime|tfjs|dist\./.test(src)),
      `loaded up front: ${scripts}`,
    );
    assert.equal(await page.locator('.cm-editor').count(), 0);
    assert.equal(await cell(page, 'hello').getAttribute('data-state'), 'idle');
    assert.deepEqual(problems, []);
  });

  test('runs the About cells: shared variables flow, output and logs show, the badge says wasm and why', async () => {
    const { page, problems } = await site.open(about);
    // Running the second cell first runs the cell that defines `image`.
    await cell(page, 'shared-image').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'shared-image'), 'done');
    assert.equal(await cell(page, 'hello').getAttribute('data-state'), 'done');
    assert.match(
      (await cell(page, 'hello').locator('.cell-output').textContent()) ?? '',
      /Array\(4\)|1.*28.*28.*1/,
    );
    const output = (await cell(page, 'shared-image').locator('.cell-output').textContent()) ?? '';
    assert.match(output, /the image has 784 pixels/);
    assert.match(output, /784/);
    // Chromium here offers WebGPU only on SwiftShader, a software adapter: auto takes wasm and says why.
    assert.equal(
      await page.locator('[data-backend]').textContent(),
      'Backend: wasm (SIMD, 1 thread): the WebGPU adapter is a software fallback (SwiftShader)',
    );
    assert.equal(await page.locator('[data-backend]').getAttribute('data-backend'), 'wasm');
    assert.deepEqual(problems, []);
  });

  test('the backend chosen on one page is remembered on the next; ?backend= and a bad name say so', async () => {
    const { page, problems } = await site.open(about);
    await page.locator('[data-backend-select]').selectOption('cpu');
    await page.goto(site.url('lessons/01-vgg-blocks/'));
    assert.equal(await page.locator('[data-backend-select]').inputValue(), 'cpu');
    await cell(page, 'vgg-block').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'vgg-block'), 'done');
    assert.equal(await page.locator('[data-backend]').textContent(), 'Backend: cpu (chosen)');
    // The address wins over the remembered choice, for that page only.
    await page.goto(site.url(`${about}?backend=wasm`));
    assert.equal(await page.locator('[data-backend-select]').inputValue(), 'wasm');
    await cell(page, 'hello').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'hello'), 'done');
    assert.match((await page.locator('[data-notice]').textContent()) ?? '', /^$/);
    await page.goto(site.url(`${about}?backend=tpu`));
    await cell(page, 'hello').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'hello'), 'done');
    assert.match(
      (await page.locator('[data-notice]').textContent()) ?? '',
      /Unknown backend in the address: \?backend=tpu \(expected one of auto, webgpu, webgl, wasm, cpu\)/,
    );
    assert.equal(await page.locator('[data-backend]').getAttribute('data-backend'), 'cpu'); // the remembered one
    assert.deepEqual(problems, []);
  });

  test('a syntax error and a runtime error show inline with their line; the next cell still runs', async () => {
    const { page } = await site.open(about);
    const hello = cell(page, 'hello');
    await typeInto(page, hello, 'const image = tf.zeros([1, 28, 28, 1]);\nconst broken: number = ;\n');
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'error');
    assert.match((await hello.locator('.cell-error').textContent()) ?? '', /line 2, column 24/);
    assert.equal(await hello.locator('.cm-error-line').count(), 1);

    await typeInto(
      page,
      hello,
      'const image = tf.zeros([1, 28, 28, 1]);\n\nconst bad = image.reshape([5, 5]);\n',
    );
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'error');
    const message = (await hello.locator('.cell-error').textContent()) ?? '';
    assert.match(message, /line 3, column 19/, message);
    assert.match(message, /reshape|size/i);
    assert.match((await hello.locator('.cm-error-line').textContent()) ?? '', /image\.reshape/);

    // Fix it; the cell below (which needs `image`) runs.
    await typeInto(page, hello, 'const image = tf.ones([2, 2]);\n');
    await cell(page, 'shared-image').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'shared-image'), 'done');
    assert.match(
      (await cell(page, 'shared-image').locator('.cell-output').textContent()) ?? '',
      /the image has 4 pixels/,
    );
  });

  test('re-running a cell five times leaves the live tensor count where the first run left it', async () => {
    const { page } = await site.open(about);
    const hello = cell(page, 'hello');
    // Click and wait for this run's end inside the page, so a previous run's "done" cannot satisfy the wait.
    const run = () =>
      hello.evaluate(
        (element: HTMLElement) =>
          new Promise<void>((resolve) => {
            element.querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
            const check = () => (element.dataset.state === 'done' ? resolve() : setTimeout(check, 20));
            setTimeout(check, 0);
          }),
      );
    await run();
    const first = await liveTensors(page);
    assert.ok(first >= 1);
    for (let i = 0; i < 5; i++) await run();
    assert.equal(await liveTensors(page), first);
    assert.match((await page.locator('[data-memory]').textContent()) ?? '', new RegExp(`^${first} tensors`));
  });

  test('an edit survives a reload; editing marks dependents stale; Reset cell restores the original', async () => {
    const { page } = await site.open(about);
    await cell(page, 'shared-image').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'shared-image'), 'done');
    await typeInto(page, cell(page, 'hello'), 'const image = tf.zeros([1, 4, 4, 1]);\nimage.shape;');
    await waitForState(cell(page, 'shared-image'), 'stale', 5_000);
    assert.equal(await cell(page, 'hello').getAttribute('data-state'), 'stale');
    await page.waitForTimeout(100);
    await page.reload();
    const editor = cell(page, 'hello').locator('.cm-content');
    await editor.waitFor();
    assert.match((await editor.textContent()) ?? '', /tf\.zeros\(\[1, 4, 4, 1\]\)/);
    await cell(page, 'hello').getByRole('button', { name: 'Reset cell' }).click();
    assert.match((await editor.textContent()) ?? '', /tf\.zeros\(\[1, 28, 28, 1\]\)/);
    await page.reload();
    assert.equal(await page.locator('.cm-editor').count(), 0, 'no edits left, so nothing loads up front');
  });

  test('live bindings in the page; TF.js printing, console.table and a late timer error land under the cell', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    await typeInto(
      page,
      hello,
      "let epochs = 1;\nconst describeRun = () => `epochs: ${epochs}`;\nepochs = 5;\ntf.tensor([1, 2]).print();\nconsole.table([{ lr: 0.1 }]);\nsetTimeout(() => { throw new Error('late boom'); }, 20);\ndescribeRun();",
    );
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'done');
    const output = hello.locator('.cell-output');
    await output.getByText(/late boom/).waitFor({ timeout: 5_000 });
    const text = (await output.textContent()) ?? '';
    assert.match(text, /epochs: 5/);
    assert.match(text, /Tensor\s*\[1, 2\]/);
    assert.match(text, /\(index\)lr00\.1/);
    assert.match(text, /After the cell finished, code it started threw: Error: late boom \(line 6\)/);
    assert.deepEqual(
      problems.filter((p) => !/late boom/.test(p)),
      [],
    );
  });

  test('Stop ends a running loop that checks signal, and the page keeps working', async () => {
    const { page } = await site.open(about);
    const hello = cell(page, 'hello');
    await typeInto(
      page,
      hello,
      'let steps = 0;\nwhile (!signal.aborted) {\n  steps++;\n  await new Promise((resolve) => setTimeout(resolve, 20));\n}\nsteps;',
    );
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'running');
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForState(hello, 'stopped', 5_000);
    assert.match((await hello.locator('.cell-output').textContent()) ?? '', /^Stopped by the reader/);
    assert.equal(await hello.locator('.cell-error').count(), 0, 'a stop is not shown as an error');
    await cell(page, 'shared-image').getByRole('button', { name: 'Run cell' }).click();
    // `image` was never defined (hello was stopped), so this cell fails with a ReferenceError naming it.
    await waitForState(cell(page, 'shared-image'), 'error');
    assert.match(
      (await cell(page, 'shared-image').locator('.cell-output').textContent()) ?? '',
      /image is not defined/,
    );
    await page.getByRole('button', { name: 'Restart' }).click();
    await waitForState(cell(page, 'shared-image'), 'idle', 5_000);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`axe: a page with live editors, outputs and an error has no serious violations (${theme})`, async () => {
      const context = await site.browser.newContext({ colorScheme: theme });
      const page = await context.newPage();
      await page.goto(site.url(about));
      await cell(page, 'shared-image').getByRole('button', { name: 'Run cell' }).click();
      await waitForState(cell(page, 'shared-image'), 'done');
      await typeInto(page, cell(page, 'hello'), 'const image = ;');
      await page.keyboard.press('Control+Enter');
      await waitForState(cell(page, 'hello'), 'error');
      const violations = await seriousAxeViolations(page);
      await context.close();
      assert.deepEqual(violations, []);
    });
  }

  test('Run all names the running cell in the toolbar, links to it, and clears when done', async () => {
    const { page, problems } = await site.open(about);
    // Record every text the progress line shows (a quick run passes in milliseconds).
    await page.evaluate(() => {
      const line = document.querySelector('[data-run-progress]')!;
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const link = line.querySelector('a');
        if (!(line as HTMLElement).hidden && link)
          seen.push(`${line.textContent} -> ${link.getAttribute('href')}`);
      }).observe(line, { childList: true, subtree: true, attributes: true });
    });
    await page.locator('[data-action="run-all"]').click();
    for (const id of ['hello', 'shared-image']) await waitForState(cell(page, id), 'done', 120_000);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    const cells = await page.locator('code-cell').count();
    assert.ok(
      seen.some((text) => text.startsWith(`Running cell 1 of ${cells}: `) && text.endsWith('-> #cell-hello')),
      seen.join('\n'),
    );
    assert.equal(await page.locator('[data-run-progress]').isHidden(), true);
    assert.deepEqual(problems, []);
  });
});
