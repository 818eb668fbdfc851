import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { cell, outputOf, runCell, typeInto } from './cellHelpers.ts';

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

test('charts paint their tips in the page’s background, light and dark', async () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await site.browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(site.url(lesson));
    const [chart, body] = await page.evaluate(() => {
      const svg = document.querySelector('figure.reference-results svg[class^="plot-"]')!;
      const bg = (el: Element) => getComputedStyle(el).getPropertyValue('--bg').trim();
      return [getComputedStyle(svg).getPropertyValue('--plot-background').trim(), bg(document.body)];
    });
    assert.equal(chart, body, colorScheme);
    assert.notEqual(chart, 'white', colorScheme);
    await context.close();
  }
});

test('the reader’s run of the comparison is drawn on the reference’s axes, labelled apart', async () => {
  const { page, problems } = await site.open(lesson);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const compare = cell(page, 'plain-vs-residual');
  assert.equal(await runCell(compare, 300_000), 'done', await outputOf(compare));
  const chart = compare.locator('.train-chart figure');
  assert.match((await chart.getAttribute('aria-label')) ?? '', /beside the reference: \d seeds?, 4 epochs/);
  assert.match((await chart.textContent()) ?? '', /Solid: your run\. Dashed, .* the reference/);
  // The reference's mean curves are dashed; the reader's are solid.
  assert.ok((await chart.locator('[stroke-dasharray]').count()) > 0, 'dashed reference curves');
  // A quick run's series have a point or two each: Plot must not warn (or draw its ⚠) about that.
  assert.deepEqual(
    warnings.filter((w) => /cardinality/.test(w)),
    [],
  );
  assert.doesNotMatch((await compare.locator('.train-chart').textContent()) ?? '', /⚠/);
  assert.deepEqual(problems, []);
});

test('a comparison a cell keeps records of (keepRecords) is still drawn beside its reference', async () => {
  const { page, problems } = await site.open('lessons/06-activation-variants/');
  const ablation = cell(page, 'ablation');
  assert.equal(await runCell(ablation, 300_000), 'done', await outputOf(ablation));
  const chart = ablation.locator('.train-chart figure');
  assert.match((await chart.getAttribute('aria-label')) ?? '', /beside the reference: 3 seeds, 4 epochs/);
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

test('at the one-epoch budget the reader’s run retraces the reference’s first run (wasm in the page, wasm in Node)', async () => {
  const { page, problems } = await site.open('lessons/04-pre-activation/');
  await page.waitForFunction(() => !document.querySelector<HTMLSelectElement>('[data-budget]')?.disabled);
  await page.locator('[data-budget]').selectOption('one-epoch');
  // The lesson's own data cell, then its first variant for 20 steps, every step's loss kept.
  const train = cell(page, 'compare-units');
  await typeInto(
    page,
    train,
    `const first = experiment.variants(budget)[0];
const losses: number[] = [];
for await (const record of compare([first], data, { ...experiment.trainOptions(budget), logEvery: 1, signal })) {
  if (record.kind === 'step') losses.push(record.loss);
  if (losses.length === 20) break;
}
\`LOSSES \${first.name} \${JSON.stringify(losses)} END\`;`,
  );
  assert.equal(await runCell(train, 300_000), 'done', await outputOf(train));
  const [, variant, json] = /LOSSES (\S+) (\[[^\]]*\]) END/.exec(await outputOf(train)) ?? [];
  const losses = JSON.parse(json) as number[];
  const results = JSON.parse(readFileSync('content/results/original-vs-preactivation.json', 'utf8')) as {
    runs: { variant: string; seed: number; curve: { every: number; loss: number[] } }[];
  };
  const recorded = results.runs.find((r) => r.variant === variant && r.seed === 0)!;
  assert.equal(recorded.curve.every, 10);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const page10 = [mean(losses.slice(0, 10)), mean(losses.slice(10, 20))];
  console.log(
    `one-epoch in Chromium: ${page10.map((x) => x.toFixed(6))}; reference seed 0: ${recorded.curve.loss.slice(0, 2).map((x) => x.toFixed(6))}`,
  );
  page10.forEach((loss, i) => {
    const want = recorded.curve.loss[i];
    assert.ok(
      Math.abs(loss - want) <= 1e-3 * Math.abs(want),
      `curve point ${i + 1}: ${loss} in the page, ${want} recorded`,
    );
  });
  assert.deepEqual(problems, []);
});
