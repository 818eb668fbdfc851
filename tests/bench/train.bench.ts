// npm run bench: training throughput on the built site (not a test). Headless Chromium, WebGPU (SwiftShader
// here; a real GPU where the browser has one). Compares images/s of the library's train() with TF.js
// model.fit and a bare optimizer.minimize loop that never reads back, on the same small ResNet, batch and
// backend, and times a cold first Run to the first finished training step. Prints a table and writes
// test-results/bench-results.json. Needs `RESLAB_BASE=/reslab/ npm run build` first.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { distDir, openSite } from '../browser/harness.ts';
import { typeInto } from '../browser/cellHelpers.ts';

const steps = Number(process.env.BENCH_STEPS ?? 5);
const batchSize = Number(process.env.BENCH_BATCH ?? 32);
const model = `buildCifarResNet({ depth: 8, width: 0.25, inputShape: [28, 28, 1], seed: 1 })`;

if (!existsSync(join(distDir, 'lessons'))) {
  console.error('dist/ is missing: run `RESLAB_BASE=/reslab/ npm run build` first.');
  process.exit(1);
}

async function runInCell(page: Page, source: string, timeout = 600_000): Promise<void> {
  const cell = page.locator('code-cell[data-cell-id="hello"]');
  await typeInto(page, cell, source);
  await page.evaluate(() => ((globalThis as unknown as { __runAt: number }).__runAt = performance.now()));
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(
    () =>
      ['done', 'error'].includes(
        document.querySelector<HTMLElement>('code-cell[data-cell-id="hello"]')!.dataset.state ?? '',
      ),
    undefined,
    { timeout, polling: 200 },
  );
  if ((await cell.getAttribute('data-state')) === 'error')
    throw new Error(`bench cell failed: ${await cell.locator('.cell-output').textContent()}`);
}

const site = await openSite();
try {
  const { page } = await site.open('lessons/00-about-this-site/');
  // Cold: the first Run on a fresh page loads TF.js, picks the backend, fetches the data, builds the model
  // and compiles every shader of the first step.
  await runInCell(
    page,
    `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: ${batchSize * 2}, testSize: ${batchSize} });
for await (const record of train(${model}, data, { batchSize: ${batchSize}, logEvery: 1, signal })) {
  if (record.kind === 'step') { (globalThis as any).__firstStep = performance.now(); break; }
}`,
  );
  const coldMs = await page.evaluate(() => (globalThis as any).__firstStep - (globalThis as any).__runAt);

  // Warm: the three loops, each after one warm-up step, on the same model, batch and backend.
  await runInCell(
    page,
    `const steps = ${steps}, batchSize = ${batchSize};
const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: batchSize * (steps + 1), testSize: batchSize });
const images = batchSize * steps;
const timed = async (run: () => Promise<void>) => { const t = performance.now(); await run(); return performance.now() - t; };

// 1. train(): warm-up step, then the timed steps (one read-back at the end, logEvery = steps).
let m = ${model};
for await (const r of train(m, { train: data.train, preprocess: data.preprocess }, { batchSize, epochs: 1, logEvery: 1 })) break;
const trainMs = await timed(async () => {
  for await (const r of train(m, { train: { ...data.train, count: images }, preprocess: data.preprocess }, { batchSize, logEvery: steps })) r;
});
m.dispose();

// 2. model.fit with the same loss (softmax cross-entropy on logits) and optimiser.
m = ${model};
const { x, labels } = data.toTensors('train', images);
const y = tf.oneHot(labels, 10);
m.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: (t: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(t, p) });
await m.fit(x.slice(0, batchSize), y.slice(0, batchSize), { batchSize, epochs: 1, verbose: 0 });
const fitMs = await timed(async () => { await m.fit(x, y, { batchSize, epochs: 1, shuffle: false, verbose: 0 }); });
m.dispose();

// 3. A bare optimizer.minimize loop over pre-made batches, no read-back until the end.
m = ${model};
const optimizer = tf.train.momentum(0.05, 0.9);
const batches = Array.from({ length: steps }, (_, i) => [x.slice(i * batchSize, batchSize), y.slice(i * batchSize, batchSize)]);
const step = (bx: tf.Tensor, by: tf.Tensor) => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(by, m.apply(bx, { training: true }) as tf.Tensor) as tf.Scalar, false);
step(batches[0][0], batches[0][1]);
const bareMs = await timed(async () => {
  for (const [bx, by] of batches) step(bx, by);
  const flush = tf.sum(m.trainableWeights[0].read());
  await flush.data();
  flush.dispose();
});
m.dispose();
tf.dispose([x, y, ...batches.flat()]);
optimizer.dispose();
(globalThis as any).__bench = { images, trainMs, fitMs, bareMs, backend: tf.getBackend() };`,
  );
  const r = await page.evaluate(() => (globalThis as any).__bench);
  const perSecond = (ms: number) => (r.images * 1000) / ms;
  const rows = [
    { loop: 'train() (library)', imagesPerSecond: perSecond(r.trainMs), ratio: r.bareMs / r.trainMs },
    { loop: 'model.fit', imagesPerSecond: perSecond(r.fitMs), ratio: r.bareMs / r.fitMs },
    { loop: 'optimizer.minimize, no read-back', imagesPerSecond: perSecond(r.bareMs), ratio: 1 },
  ];
  const userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(
    `\nResNet-8 ×0.25 on 28×28×1, batch ${batchSize}, ${steps} steps per loop, backend ${r.backend}`,
  );
  console.log('loop'.padEnd(36) + 'images/s'.padStart(10) + '  vs bare loop');
  for (const row of rows)
    console.log(
      row.loop.padEnd(36) + row.imagesPerSecond.toFixed(1).padStart(10) + `  ${row.ratio.toFixed(2)}×`,
    );
  console.log(`cold: first Run to first finished step ${(coldMs / 1000).toFixed(1)} s\n`);
  const out = resolve(import.meta.dirname, '../../test-results/bench-results.json');
  await mkdir(resolve(out, '..'), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        userAgent,
        backend: r.backend,
        model: 'cifar-resnet8 width 0.25 [28,28,1]',
        batchSize,
        steps,
        coldFirstStepMs: coldMs,
        loops: rows,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${out}`);
} finally {
  await site.close();
}
