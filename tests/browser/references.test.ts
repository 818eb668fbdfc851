import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { cell, outputOf, runCell } from './cellHelpers.ts';

// Reference results on a lesson page: drawn at build time (static SVG, there with JavaScript off), and
// the reader's own run of the comparison drawn on the reference's axes. Lesson 2's plain-vs-residual
// experiment has committed results (content/results/plain-vs-residual.json).

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const lesson = 'lessons/02-residual-blocks/';

test('a lesson shows its reference charts and table with JavaScript off, before any Run', async () => {
  const context = await site.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(site.url(lesson));
  const figure = page.locator('figure.reference-results[data-reference="plain-vs-residual"]');
  assert.equal((await figure.locator('.reference-chart svg').count()) >= 2, true, 'two charts');
  assert.match(
    (await figure.locator('.reference-setting').textContent()) ?? '',
    /reslab experiment run plain-vs-residual/,
  );
  const rows = figure.locator('table.reference-table tbody tr');
  assert.ok((await rows.count()) >= 1);
  assert.match((await rows.first().textContent()) ?? '', /^plain-8\d+\.\d%/);
  await context.close();
});

test('the reader’s run of the comparison is drawn on the reference’s axes, labelled apart', async () => {
  const { page, problems } = await site.open(lesson);
  const compare = cell(page, 'plain-vs-residual');
  assert.equal(await runCell(compare, 300_000), 'done', await outputOf(compare));
  const chart = compare.locator('.train-chart figure');
  assert.match((await chart.getAttribute('aria-label')) ?? '', /beside the reference: \d seeds?, 4 epochs/);
  assert.match((await chart.textContent()) ?? '', /Solid: your run\. Dashed, .* the reference/);
  // The reference's mean curves are dashed; the reader's are solid.
  assert.ok((await chart.locator('[stroke-dasharray]').count()) > 0, 'dashed reference curves');
  assert.deepEqual(problems, []);
});

test('beside the budget menu, the lesson states what the chosen budget costs, from its reference runs', async () => {
  const { page, problems } = await site.open(lesson);
  const select = page.locator('[data-budget]');
  const time = page.locator('[data-budget-time]');
  await page.waitForFunction(() => !document.querySelector<HTMLSelectElement>('[data-budget]')?.disabled);
  assert.equal(await select.inputValue(), 'quick', 'every page starts at quick');
  assert.match((await time.textContent()) ?? '', /^seconds/);
  await select.selectOption('one-epoch');
  assert.match((await time.textContent()) ?? '', /^(about \d+ min|under a minute) on WebAssembly/);
  await select.selectOption('reference');
  assert.match((await time.textContent()) ?? '', /^about \d+ min on WebAssembly: one seed of the reference/);
  assert.equal(await select.getAttribute('aria-describedby'), await time.getAttribute('id'));
  // The choice is remembered on the next page, and its time is that page's.
  await page.goto(site.url('lessons/05-shortcut-variants/'));
  await page.waitForFunction(() => !document.querySelector<HTMLSelectElement>('[data-budget]')?.disabled);
  assert.equal(await select.inputValue(), 'reference');
  assert.match((await time.textContent()) ?? '', /^about \d+ min on WebAssembly/);
  assert.deepEqual(problems, []);
});
