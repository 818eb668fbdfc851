import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openSite, type Site } from './harness.ts';
import { about, cell, tinyData, typeInto, waitForState } from './cellHelpers.ts';

// Accessibility and UX (issue 8): every cell action by keyboard with a visible focus ring; charts with
// a text alternative; reduced motion respected.

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

interface Focused {
  label: string;
  action: string | null;
  cell: string | null;
  outline: string;
  shadow: string;
}

/** What has focus now and how its focus is drawn. */
const focused = (page: Page) =>
  page.evaluate((): Focused | null => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    return {
      label: element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '',
      action:
        element.dataset.action ??
        (element.matches('[data-budget]') ? 'budget' : element.closest('.cell-code') ? 'code' : null),
      cell: element.closest('code-cell')?.getAttribute('data-cell-id') ?? null,
      outline: `${style.outlineStyle} ${style.outlineWidth}`,
      shadow: style.boxShadow,
    };
  });

const isVisibleFocus = (f: Focused) =>
  (!f.outline.startsWith('none') && !f.outline.endsWith(' 0px')) || f.shadow !== 'none';

/** Presses Tab until `predicate` holds for the focused element (at most `limit` times). */
async function tabTo(page: Page, predicate: (f: Focused) => boolean, limit = 80): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now) continue;
    seen.push(now);
    if (predicate(now)) return seen;
  }
  throw new Error(`not reached by Tab: ${JSON.stringify(seen.map((f) => f.label))}`);
}

describe('keyboard', () => {
  test('Tab reaches every notebook action with a visible focus ring; Enter runs a cell', async () => {
    const { page, problems } = await site.open(about);
    const seen = await tabTo(page, (f) => f.cell === 'shared-image' && f.action === 'copy');
    const actions = new Set(seen.map((f) => `${f.cell ?? 'toolbar'}:${f.action}`));
    for (const expected of [
      'toolbar:run-all',
      'toolbar:budget',
      'hello:run',
      'hello:copy',
      'hello:code',
      'shared-image:run',
    ])
      assert.ok(actions.has(expected), `${expected} reachable by Tab (saw ${[...actions]})`);
    const invisible = seen.filter((f) => !isVisibleFocus(f)).map((f) => `${f.label}: ${f.outline}`);
    assert.deepEqual(invisible, [], 'every focused control shows a focus ring');

    // Back to the first cell's Run with Shift+Tab, then Enter runs it.
    for (let i = 0; i < 80; i++) {
      const now = await focused(page);
      if (now?.cell === 'hello' && now.action === 'run') break;
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await waitForState(cell(page, 'hello'), 'done');

    // Enter on the code opens the editor; typing and Ctrl+Enter run; Escape returns to the Run button.
    await tabTo(page, (f) => f.cell === 'hello' && f.action === 'code');
    await page.keyboard.press('Enter');
    await cell(page, 'hello').locator('.cm-content:focus').waitFor();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText('const image = tf.ones([1, 2, 2, 1]);\nimage.shape;');
    await page.keyboard.press('Control+Enter');
    await cell(page, 'hello')
      .locator('.cell-output')
      .filter({ hasText: /1, 2, 2, 1|1,2,2,1/ })
      .waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    assert.equal((await focused(page))?.action, 'run');
    // Reset cell appears once edited, and is reachable too.
    const after = await tabTo(page, (f) => f.cell === 'hello' && f.action === 'reset', 10);
    assert.ok(isVisibleFocus(after.at(-1)!));
    await page.keyboard.press('Enter');
    assert.match((await cell(page, 'hello').locator('.cm-content').textContent()) ?? '', /tf\.zeros/);
    // Restart (enabled once the notebook runs) by keyboard: Shift+Tab back to the toolbar, Enter.
    for (let i = 0; i < 80 && (await focused(page))?.action !== 'restart'; i++)
      await page.keyboard.press('Shift+Tab');
    const restart = (await focused(page))!;
    assert.equal(restart.action, 'restart');
    assert.ok(isVisibleFocus(restart));
    await page.keyboard.press('Enter');
    await waitForState(cell(page, 'hello'), 'idle', 10_000);
    assert.deepEqual(problems, []);
  });
});

describe('screen readers', () => {
  test('each cell is a group named by its title, and its buttons say which cell they act on', async () => {
    const { page, problems } = await site.open(about);
    const group = page.getByRole('group', { name: /Use a variable from another cell/ });
    assert.equal(await group.count(), 1);
    assert.equal(
      await group.getByRole('button', { name: 'Run cell: Use a variable from another cell' }).count(),
      1,
    );
    // No two Run buttons on the page share a name.
    const names = await page
      .locator('[data-action="run"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    assert.equal(new Set(names).size, names.length);
    // Outputs are not live regions (a long table would be read out); the short status line is.
    assert.equal(await page.locator('.cell-output[aria-live], output.cell-output').count(), 0);
    assert.ok((await page.locator('[data-cell-status][aria-live="polite"]').count()) > 0);
    assert.deepEqual(problems, []);
  });
});

describe('charts and motion', () => {
  test('a training chart has a text alternative, and reduced motion turns off animation', async () => {
    const context = await site.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(site.url(about));
    const hello = cell(page, 'hello');
    await typeInto(
      page,
      hello,
      `${tinyData}\nconst model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });\ntrain(model, data, { epochs: 2, batchSize: 8, logEvery: 2, signal });`,
    );
    // While it trains, the progress bar and the status must not animate. A tiny run on wasm can end
    // before a poll sees the (transient) progress bar, so the styles are read the moment it appears.
    await page.evaluate(() => {
      const w = window as unknown as { __motion?: string[] };
      const observer = new MutationObserver(() => {
        if (!document.querySelector('.train-progress')) return;
        observer.disconnect();
        w.__motion = [
          ...document.querySelectorAll(
            '.train-view, .train-view *, code-cell, code-cell *, notebook-toolbar *',
          ),
        ]
          .map((el) => ({ el, style: getComputedStyle(el) }))
          .filter(
            ({ style }) =>
              (style.animationName !== 'none' && parseFloat(style.animationDuration) > 0) ||
              style.transitionDuration.split(',').some((d) => parseFloat(d) > 0),
          )
          .map(({ el, style }) => `${el.className}: ${style.animationName} ${style.transitionDuration}`);
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'done');
    const motion = await page.evaluate(() => (window as unknown as { __motion?: string[] }).__motion);
    assert.ok(motion, 'the progress bar appeared while it trained');
    assert.deepEqual(motion, [], 'nothing animates under prefers-reduced-motion: reduce');
    const chart = hello.locator('.train-chart svg');
    const label = (await chart.getAttribute('aria-label')) ?? '';
    assert.match(label, /Training loss over \d+ logged steps/);
    // The numbers behind the chart are in a table (one row per epoch) and a status sentence.
    assert.equal(await hello.locator('.train-epochs table tbody tr').count(), 2);
    assert.match((await hello.locator('.train-status').textContent()) ?? '', /^Finished after/);
    await context.close();
  });
});
