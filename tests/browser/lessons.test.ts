import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { distDir, openSite, seriousAxeViolations, type Site } from './harness.ts';

// Every lesson runs top to bottom at the quick budget, as a reader pressing "Run all" would, with WebGPU
// on SwiftShader. A cell that errors fails the test with its message; the time per lesson is printed.
// RESLAB_LESSONS=01,03 runs only the lessons whose ids start with those prefixes (while writing one).
const only = process.env.RESLAB_LESSONS?.split(',').filter(Boolean);
const lessons = (await readdir(join(distDir, 'lessons')))
  .sort()
  .filter((id) => !only || only.some((prefix) => id.startsWith(prefix)));
const perLessonTimeout = 8 * 60_000;

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

for (const id of lessons) {
  test(
    `lesson ${id}: every cell runs at the quick budget`,
    { timeout: perLessonTimeout + 30_000 },
    async () => {
      const { page, problems } = await site.open(`lessons/${id}/`);
      const cells = page.locator('code-cell');
      const count = await cells.count();
      if (count === 0) return;
      await page.locator('[data-budget]').selectOption('quick');
      const started = Date.now();
      await page.getByRole('button', { name: 'Run all' }).click();
      // Settled: no cell is queued or running any more.
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('code-cell')].every((cell) =>
            ['done', 'error', 'stale', 'idle'].includes((cell as HTMLElement).dataset.state ?? ''),
          ) && document.querySelector('code-cell[data-state="done"], code-cell[data-state="error"]') !== null,
        undefined,
        { timeout: perLessonTimeout, polling: 250 },
      );
      const seconds = (Date.now() - started) / 1000;
      const states = await cells.evaluateAll((els) =>
        els.map((el) => ({
          id: (el as HTMLElement).dataset.cellId,
          state: (el as HTMLElement).dataset.state,
          output: el.querySelector('.cell-output')?.textContent?.slice(0, 300) ?? '',
        })),
      );
      const failed = states.filter((cell) => cell.state !== 'done');
      console.log(`lesson ${id}: ${count} cells at the quick budget in ${seconds.toFixed(1)} s`);
      assert.deepEqual(
        failed.map((cell) => `${cell.id}: ${cell.state}: ${cell.output}`),
        [],
        'every cell finishes without an error',
      );
      assert.deepEqual(problems, []);
      // With editors, charts, tables and verdicts on the page, it is still accessible.
      assert.deepEqual(await seriousAxeViolations(page), [], 'axe after running every cell');
    },
  );
}
