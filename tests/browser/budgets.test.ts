import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distDir, openSite, type Site } from './harness.ts';

/** What a lesson page may load before the reader's first Run (JavaScript, gzip) and its HTML (gzip). */
const budgets = { initialJsGzip: 40 * 1024, htmlGzip: 100 * 1024 };

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
