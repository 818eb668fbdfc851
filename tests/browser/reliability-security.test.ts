import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { about, cell, runCell, typeInto } from './cellHelpers.ts';

// Security (issue 8): no code runs without the reader's action, and running cells fetches nothing from
// another host.

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const marker = 'globalThis.__ranWithoutAsking = (globalThis.__ranWithoutAsking ?? 0) + 1;\n';

describe('security', () => {
  test('no cell runs on load: not with a saved edit, not with code or a cell id in the URL', async () => {
    const { page, problems } = await site.open(about);
    await typeInto(page, cell(page, 'hello'), `${marker}const image = tf.zeros([1, 28, 28, 1]);`);
    await page.waitForTimeout(200); // the edit is saved as it is typed
    const payload = encodeURIComponent(`${marker}1`);
    for (const suffix of ['', `?run=hello&cell=hello&code=${payload}`, `#cell=hello&run=1&code=${payload}`]) {
      await page.goto(`${site.url(about)}${suffix}`);
      // The saved edit loads the editor at once (so the reader sees it)...
      await cell(page, 'hello').locator('.cm-content').filter({ hasText: '__ranWithoutAsking' }).waitFor();
      await page.waitForTimeout(1500);
      // ...but nothing ran: no marker, every cell idle, TF.js not even loaded.
      assert.equal(
        await page.evaluate(() => (globalThis as { __ranWithoutAsking?: number }).__ranWithoutAsking),
        undefined,
        suffix,
      );
      const states = await page
        .locator('code-cell')
        .evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.state));
      assert.deepEqual([...new Set(states)], ['idle'], suffix);
      const scripts = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((entry) => entry.name)
          .filter((name) => /tfjs|prelude/.test(name)),
      );
      assert.deepEqual(scripts, [], `TF.js loaded without a run (${suffix})`);
    }
    // The reader's own click runs it, once.
    assert.equal(await runCell(cell(page, 'hello')), 'done');
    assert.equal(
      await page.evaluate(() => (globalThis as { __ranWithoutAsking?: number }).__ranWithoutAsking),
      1,
    );
    assert.deepEqual(problems, []);
  });

  test('running every cell of a lesson (and loading a dataset) requests nothing from another host', async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const origin = new URL(site.url()).origin;
    for (const lesson of [about, 'lessons/01-vgg-blocks/', 'lessons/02-residual-blocks/']) {
      await page.goto(site.url(lesson));
      if ((await page.locator('code-cell').count()) === 0) continue;
      await page.getByRole('button', { name: 'Run all' }).click();
      // Long training cells are stopped after a while: what they fetch, they fetch at the start.
      const settled = () =>
        page.waitForFunction(
          () =>
            [...document.querySelectorAll<HTMLElement>('code-cell')].every(
              (c) => !['queued', 'running'].includes(c.dataset.state ?? ''),
            ),
          undefined,
          { timeout: 30_000 },
        );
      await settled().catch(async () => {
        await page.getByRole('button', { name: 'Stop' }).click();
        await settled();
      });
    }
    // A dataset download, as the training lessons do.
    const hello = cell(page, 'hello');
    await page.goto(site.url(about));
    await typeInto(
      page,
      hello,
      "const fashion = await loadFashionMnist({ baseUrl: '/reslab/data/fashion-mnist/', trainSize: 64, testSize: 64 });\nfashion.train.count;",
    );
    assert.equal(await runCell(hello), 'done');
    assert.ok(
      requests.some((url) => url.includes('/data/fashion-mnist/')),
      'the dataset was fetched',
    );
    const foreign = requests.filter((url) => !url.startsWith(origin) && !/^(data|blob):/.test(url));
    assert.deepEqual(foreign, []);
    await context.close();
  });

  test('a corrupt dataset shard is fetched again once, then fails with a clear error; a good copy recovers', async () => {
    const loadCell =
      "const fashion = await loadFashionMnist({ baseUrl: '/reslab/data/fashion-mnist/', trainSize: 64, testSize: 64 });\nfashion.train.count;";
    for (const goodOnRetry of [false, true]) {
      const context = await site.browser.newContext();
      const page = await context.newPage();
      let served = 0;
      await page.route('**/data/fashion-mnist/lesson-train-0.bin.gz', async (route) => {
        served++;
        if (goodOnRetry && served > 1) return route.continue();
        const response = await route.fetch();
        const body = Buffer.from(await response.body());
        body[body.length - 20] ^= 0xff; // one flipped byte
        await route.fulfill({ response, body });
      });
      await page.goto(site.url(about));
      const hello = cell(page, 'hello');
      await typeInto(page, hello, loadCell);
      const state = await runCell(hello);
      const output = (await hello.locator('.cell-output').textContent()) ?? '';
      assert.equal(served, 2, 'downloaded once more after the mismatch, and no more');
      if (goodOnRetry) {
        assert.equal(state, 'done', output);
        assert.match(output, /64/);
      } else {
        assert.equal(state, 'error');
        assert.match(output, /checksum mismatch for lesson-train-0\.bin\.gz/);
        assert.match(output, /fetched again and still different/);
        // The page keeps working and the edit is kept.
        assert.match((await hello.locator('.cm-content').textContent()) ?? '', /loadFashionMnist/);
        await page.unroute('**/data/fashion-mnist/lesson-train-0.bin.gz');
        assert.equal(await runCell(hello), 'done');
      }
      await context.close();
    }
  });
});
