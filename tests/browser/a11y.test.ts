import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { distDir, openSite, seriousAxeViolations, type Site } from './harness.ts';

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
      const violations = await seriousAxeViolations(page);
      await context.close();
      assert.deepEqual(violations, []);
    });
  }
}
