import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openSite, seriousAxeViolations, type Site } from './harness.ts';
import { cell, runCell } from './cellHelpers.ts';

// Charts read at every width: on a 390 px phone and a 1280 px desktop, light and dark, no chart runs
// off the page and no chart text is drawn under 10 px (a chart drawn at 640 px and scaled down to a
// phone's width shrinks its 10–12 px labels to ~6 px). Lesson 5 has the build-time reference figures,
// a live training chart, the final-figures tables and a chart a cell draws with Plot.

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

interface ChartProblem {
  where: string;
  problem: string;
}

/** Every visible chart (SVG) and table in the lesson: what overflows the page, and text under 10 px. */
const chartProblems = (page: Page) =>
  page.evaluate((): ChartProblem[] => {
    const problems: ChartProblem[] = [];
    const viewport = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > viewport + 1)
      problems.push({
        where: 'page',
        problem: `scrolls sideways: ${document.documentElement.scrollWidth} > ${viewport}`,
      });
    const where = (element: Element) =>
      (element.closest('code-cell') as HTMLElement | null)?.dataset.cellId ??
      element.closest('[class*="reference"]')?.className ??
      element.tagName;
    for (const svg of document.querySelectorAll<SVGSVGElement>('main svg')) {
      const box = svg.getBoundingClientRect();
      if (box.width === 0 || svg.closest('button, a, .theme-toggle')) continue; // hidden, or an icon
      if (box.right > viewport + 1)
        problems.push({ where: where(svg), problem: `svg ends at ${box.right} px` });
      const drawn = svg.viewBox.baseVal?.width || box.width;
      const scale = box.width / drawn;
      for (const text of svg.querySelectorAll('text')) {
        if (!text.textContent?.trim()) continue;
        const size = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (size < 10) {
          problems.push({
            where: where(svg),
            problem: `text “${text.textContent}” drawn at ${size.toFixed(1)} px`,
          });
          break;
        }
      }
    }
    for (const table of document.querySelectorAll<HTMLElement>('main table')) {
      const box = table.getBoundingClientRect();
      if (box.width > 0 && box.right > viewport + 1)
        problems.push({ where: where(table), problem: `table ends at ${box.right} px` });
    }
    for (const button of document.querySelectorAll<HTMLElement>('main .cell-button')) {
      const box = button.getBoundingClientRect();
      const line = parseFloat(getComputedStyle(button).lineHeight) || 20;
      if (box.height > 0 && box.height > 2 * line)
        problems.push({ where: where(button), problem: `button “${button.textContent}” wraps` });
    }
    return problems;
  });

for (const width of [390, 1280]) {
  for (const theme of ['light', 'dark'] as const) {
    test(`lesson 5's reference figures fit and read at ${width} px (${theme})`, async () => {
      const context = await site.browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
      const page = await context.newPage();
      await page.goto(site.url('lessons/05-shortcut-variants/'));
      const figures = await page.locator('.reference-chart svg:visible').count();
      assert.ok(figures >= 2, `expected the reference figures to show, found ${figures}`);
      assert.deepEqual(await chartProblems(page), []);
      await context.close();
    });
  }
}

for (const width of [390, 1280]) {
  test(`a training run's live chart, its tables and a cell's own Plot chart fit and read at ${width} px, and axe finds nothing`, async () => {
    const context = await site.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(site.url('lessons/05-shortcut-variants/?backend=wasm'));
    assert.equal(await runCell(cell(page, 'ablation-chart'), 300_000), 'done');
    assert.ok((await page.locator('code-cell[data-cell-id="ablation"] .train-chart svg').count()) > 0);
    assert.ok((await page.locator('code-cell[data-cell-id="ablation"] .train-final table').count()) > 0);
    assert.ok((await page.locator('code-cell[data-cell-id="ablation-chart"] svg').count()) > 0);
    const problems = await chartProblems(page);
    // Run all covers every lesson at the desktop width (lessons.test.ts); here the phone width too.
    const violations = await seriousAxeViolations(page);
    await context.close();
    assert.deepEqual(problems, []);
    assert.deepEqual(violations, [], `axe after training at ${width} px`);
  });
}
