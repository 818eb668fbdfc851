import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distDir, openSite, type Site } from './harness.ts';

/**
 * What a lesson page may load before the reader's first Run (JavaScript, gzip), its HTML (gzip), and
 * what the first Run may fetch on a machine without a real GPU (JavaScript and wasm, gzip). The first
 * Run measured 596.7 KB with the wasm backend, and 600.1 KB once cells got live bindings, loop guards
 * and the full console.
 */
const budgets = { initialJsGzip: 40 * 1024, htmlGzip: 100 * 1024, firstRunGzip: 610 * 1024 };

const lessonIds = (await readdir(join(distDir, 'lessons'))).sort();
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

for (const id of lessonIds) {
  test(`lesson ${id}: HTML and the JavaScript loaded before the first Run stay within budget`, async () => {
    const html = gzipSync(await readFile(join(distDir, 'lessons', id, 'index.html'))).length;
    const { page } = await site.open();
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.url());
    });
    await page.goto(site.url(`lessons/${id}/`), { waitUntil: 'networkidle' });
    let js = 0;
    for (const url of scripts) js += gzipSync(await (await page.request.get(url)).body()).length;
    // Scripts inlined into the HTML count too (JSON data islands do not: they are not executed).
    const inline = await page
      .locator('script:not([src])')
      .evaluateAll((els) =>
        els.filter((el) => !/json/.test(el.getAttribute('type') ?? '')).map((el) => el.textContent ?? ''),
      );
    js += inline.reduce((sum, code) => sum + gzipSync(code).length, 0);
    console.log(
      `lesson ${id}: HTML ${kb(html)} gzip; JS before first Run ${kb(js)} gzip in ${scripts.length} files`,
    );
    assert.ok(html <= budgets.htmlGzip, `HTML ${kb(html)} gzip exceeds ${kb(budgets.htmlGzip)}`);
    assert.ok(js <= budgets.initialJsGzip, `initial JS ${kb(js)} gzip exceeds ${kb(budgets.initialJsGzip)}`);
  });
}

test('the first Run without a real GPU fetches the wasm backend only, from the site, within budget', async () => {
  const { page, problems } = await site.open('lessons/00-about-this-site/');
  await page.waitForLoadState('networkidle');
  const fetched: Promise<{ url: string; gzip: number }>[] = [];
  page.on('response', (response) => {
    if (/\.(m?js|wasm)(\?|$)/.test(response.url()))
      fetched.push(response.body().then((body) => ({ url: response.url(), gzip: gzipSync(body).length })));
  });
  const hello = page.locator('code-cell[data-cell-id="hello"]');
  await hello.getByRole('button', { name: 'Run cell' }).click();
  await hello.locator('xpath=self::*[@data-state="done"]').waitFor({ timeout: 60_000 });
  const files = await Promise.all(fetched);
  const total = files.reduce((sum, f) => sum + f.gzip, 0);
  console.log(`first Run (wasm): ${kb(total)} gzip of JS and wasm in ${files.length} files`);
  const loaded = await page.evaluate(() =>
    (window as unknown as { __reslab: { backendsLoaded(): string[] } }).__reslab.backendsLoaded(),
  );
  assert.deepEqual(loaded, ['wasm'], 'only the wasm backend was fetched (no WebGPU, WebGL or CPU code)');
  const wasm = files.filter((f) => f.url.endsWith('.wasm'));
  assert.equal(wasm.length, 1, 'one wasm binary');
  assert.match(new URL(wasm[0].url).pathname, /^\/reslab\/_astro\/tfjs-backend-wasm-simd\.[\w-]+\.wasm$/);
  assert.ok(
    files.every((f) => new URL(f.url).origin === new URL(site.url()).origin),
    'all from the site',
  );
  assert.ok(
    total <= budgets.firstRunGzip,
    `the first Run fetched ${kb(total)} gzip, over ${kb(budgets.firstRunGzip)}`,
  );
  assert.deepEqual(problems, []);
});
