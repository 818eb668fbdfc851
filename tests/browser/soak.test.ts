import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { about, cell, memory, tinyData, typeInto, type Memory } from './cellHelpers.ts';

// Long use (issue 8): every cell of a lesson, ten passes in a row at the quick budget. After each pass
// the live tensor count and the bytes TF.js holds must be where the first pass left them: re-running
// frees what the previous run made.
// The About lesson runs every cell as written; the training soak adds a cell that trains a tiny model
// (with a test split, so evaluation runs too) to the same page, since a lesson's own training cells at
// the quick budget take minutes a pass on SwiftShader (lessons.test.ts runs each of them once).
const lessons = ['lessons/00-about-this-site/', 'training'];
const trainingCell = `const image = tf.zeros([1, 28, 28, 1]);
${tinyData}
const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
train(model, { ...data, test: data.train }, { epochs: 2, batchSize: 16, logEvery: 2, signal });`;
const passes = 10;

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

for (const lesson of lessons) {
  test(`soak: ${lesson} run ${passes} times leaves memory flat`, { timeout: 8 * 60_000 }, async () => {
    const { page, problems } = await site.open(lesson === 'training' ? about : lesson);
    if (lesson === 'training') await typeInto(page, cell(page, 'hello'), trainingCell);
    await page.locator('[data-budget]').selectOption('quick');
    const levels: Memory[] = [];
    const started = Date.now();
    for (let pass = 0; pass < passes; pass++) {
      // Click Run all and wait, inside the page, until every cell has settled after this click.
      const states = await page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const cells = [...document.querySelectorAll<HTMLElement>('code-cell')];
            document.querySelector<HTMLButtonElement>('[data-action="run-all"]')!.click();
            const check = () => {
              const busy = cells.some((c) => ['queued', 'running'].includes(c.dataset.state ?? ''));
              if (busy || cells.every((c) => c.dataset.state === 'idle')) setTimeout(check, 50);
              else resolve(cells.map((c) => `${c.dataset.cellId}: ${c.dataset.state}`));
            };
            setTimeout(check, 0);
          }),
      );
      assert.ok(
        states.every((s) => s.endsWith(': done')),
        `pass ${pass + 1}: ${states.join(', ')}`,
      );
      levels.push((await memory(page))!);
    }
    const seconds = (Date.now() - started) / 1000;
    const figures = levels.map((m) => `${m.numTensors}/${m.numBytes}`).join(' ');
    console.log(
      `soak ${lesson}: ${passes} passes in ${seconds.toFixed(1)} s; tensors/bytes per pass: ${figures}`,
    );
    for (const [i, level] of levels.entries()) {
      assert.equal(level.numTensors, levels[0].numTensors, `tensors after pass ${i + 1}: ${figures}`);
      assert.equal(level.numBytes, levels[0].numBytes, `bytes after pass ${i + 1}: ${figures}`);
      assert.equal(level.numBytesInGPU, levels[0].numBytesInGPU, `GPU bytes after pass ${i + 1}`);
    }
    assert.ok(levels[0].numTensors > 0, 'the cells keep their results alive between passes');
    assert.deepEqual(problems, []);
  });
}
