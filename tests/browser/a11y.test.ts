import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { distDir, openSite, type Site } from './harness.ts';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// Every lesson, plus the other kinds of page.
const lessons = (await readdir(join(distDir, 'lessons'))).sort().map((id) => `lessons/${id}/`);
const pages = ['', ...lessons, 'cells/', 'search/?q=block', 'no-such-page/'];

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

for (const theme of ['light', 'dark'] as const) {
  for (const path of pages) {
    test(`axe: no serious or critical violations on /${path} (${theme})`, async () => {
      const context = await site.browser.newContext({ colorScheme: theme });
      const page = await context.newPage();
      await page.goto(site.url(path));
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: any[] }> } }).axe;
        const result = await axe.run();
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
      });
      await context.close();
      assert.deepEqual(violations, []);
    });
  }
}
