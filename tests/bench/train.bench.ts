// npm run bench: training throughput per backend (not a test). The same model and batch everywhere: the
// lessons' CIFAR-style ResNet-20 at width 0.5 on 28×28×1 inputs, batch 64, SGD with momentum. For each
// browser backend (wasm, WebGL, WebGPU; software WebGL and WebGPU on SwiftShader here, a real GPU where
// the browser has one) it measures, on fresh pages of the built site:
//   - the bytes the first Run of an unedited cell fetches (JS + wasm, gzip-compressed size of each file),
//   - the cold time from Run to the first finished training step (TF.js, backend start, shaders),
//   - images/s of the library's train() and of a bare optimizer.minimize loop that never reads back.
// Then the same two loops in Node on wasm, the kernels of one Node wasm step by time (tf.profile), and
// the anchor: PyTorch on the CPU (Debian's python3-torch) at 1 and 2 threads. Prints a table and writes
// test-results/bench-results.json. Needs `RESLAB_BASE=/reslab/ npm run build` first.
// BENCH_STEPS (default 3), BENCH_BATCH (64) and BENCH_BACKENDS (wasm,webgl,webgpu) change the run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { distDir, openSite, type Site } from '../browser/harness.ts';
import { about, cell, runCell, typeInto } from '../browser/cellHelpers.ts';
import { initBackend } from '../../src/lib/backend.ts';
import { buildCifarResNet, createImageSet, train } from '../../src/lib/index.ts';

tf.env().set('PROD', true);
const steps = Number(process.env.BENCH_STEPS ?? 3);
const batchSize = Number(process.env.BENCH_BATCH ?? 64);
const browserBackends = (process.env.BENCH_BACKENDS ?? 'wasm,webgl,webgpu').split(',');
const modelOptions = `{ depth: 20, width: 0.5, inputShape: [28, 28, 1], seed: 1 }`;

if (!existsSync(join(distDir, 'lessons'))) {
  console.error('dist/ is missing: run `RESLAB_BASE=/reslab/ npm run build` first.');
  process.exit(1);
}

// Synthetic images (speed does not depend on what they show), made the same way in the page and in Node.
const makeData = `const count = batchSize * (steps + 1);
const pixels = new Uint8Array(count * 784).map((_, i) => Math.imul(i, 2654435761) >>> 24);
const labels = new Uint8Array(count).map((_, i) => i % 10);
const set = createImageSet(pixels, labels, { height: 28, width: 28, channels: 1 });`;

// train() after one warm-up step, then a bare minimize loop over the same images, on one model each.
// Plain JavaScript (a cell accepts it), so Node runs the very same code as a function.
const loops = `const timed = async (run) => { const t = performance.now(); await run(); return performance.now() - t; };
let m = buildCifarResNet(${modelOptions});
for await (const r of train(m, { train: set }, { batchSize, logEvery: 1 })) break;
const trainMs = await timed(async () => {
  for await (const r of train(m, { train: { ...set, count: batchSize * steps } }, { batchSize, logEvery: steps })) r;
});
m.dispose();
m = buildCifarResNet(${modelOptions});
const x = tf.tidy(() => tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [count, 28, 28, 1]));
const y = tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), 10);
const optimizer = tf.train.momentum(0.05, 0.9);
const batches = Array.from({ length: steps + 1 }, (_, i) => [x.slice(i * batchSize, batchSize), y.slice(i * batchSize, batchSize)]);
const step = (bx, by) => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(by, m.apply(bx, { training: true })), false);
step(batches[0][0], batches[0][1]);
await tf.sum(m.trainableWeights[0].read()).data();
const bareMs = await timed(async () => {
  for (const [bx, by] of batches.slice(1)) step(bx, by);
  const flush = tf.sum(m.trainableWeights[0].read());
  await flush.data();
  flush.dispose();
});
m.dispose();
tf.dispose([x, y, ...batches.flat()]);
optimizer.dispose();`;

interface LoopFigures {
  trainImagesPerSecond: number;
  bareImagesPerSecond: number;
}
interface BrowserFigures extends LoopFigures {
  backend: string;
  badge: string;
  firstRunBytes: number;
  firstRunFiles: number;
  coldFirstStepMs: number;
}

/** Sums the gzip-compressed size of every JS and wasm file the page fetches from now on. */
function countFetches(page: Page) {
  const sizes: Promise<number>[] = [];
  page.on('response', (response) => {
    if (!/\.(m?js|wasm)(\?|$)/.test(response.url())) return;
    sizes.push(
      response
        .body()
        .then((body) => gzipSync(body, { level: 9 }).length)
        .catch(() => 0),
    );
  });
  return async () => ({ bytes: (await Promise.all(sizes)).reduce((a, b) => a + b, 0), files: sizes.length });
}

async function runSource(page: Page, source: string, timeout = 900_000): Promise<void> {
  const target = cell(page, 'hello');
  await typeInto(page, target, source);
  await page.evaluate(() => ((globalThis as unknown as { __runAt: number }).__runAt = performance.now()));
  if ((await runCell(target, timeout)) === 'error')
    throw new Error(`bench cell failed: ${await target.locator('.cell-output').textContent()}`);
}

async function benchBrowser(site: Site, backend: string): Promise<BrowserFigures> {
  // 1. What the first Run of an unedited cell fetches on a fresh page (runtime, TF.js, backend, wasm).
  const first = await site.open(`${about}?backend=${backend}`);
  await first.page.waitForLoadState('networkidle');
  const fetched = countFetches(first.page);
  await runCell(cell(first.page, 'hello'), 600_000);
  const { bytes, files } = await fetched();
  await first.page.context().close();

  // 2. Cold: a fresh page, Run to the first finished step of train(); 3. warm: the two loops.
  const { page } = await site.open(`${about}?backend=${backend}`);
  await runSource(
    page,
    `const steps = 1, batchSize = ${batchSize};
${makeData}
for await (const record of train(buildCifarResNet(${modelOptions}), { train: set }, { batchSize, logEvery: 1, signal })) {
  if (record.kind === 'step') { (globalThis as any).__firstStep = performance.now(); break; }
}`,
  );
  const coldMs = await page.evaluate(() => {
    const marks = globalThis as unknown as { __firstStep: number; __runAt: number };
    return marks.__firstStep - marks.__runAt;
  });
  await runSource(
    page,
    `const steps = ${steps}, batchSize = ${batchSize};
${makeData}
${loops}
(globalThis as any).__bench = { trainMs, bareMs, backend: tf.getBackend() };`,
  );
  const r = await page.evaluate(
    () =>
      (globalThis as unknown as { __bench: { trainMs: number; bareMs: number; backend: string } }).__bench,
  );
  const badge = (await page.locator('[data-backend]').textContent()) ?? '';
  await page.context().close();
  const perSecond = (ms: number) => (batchSize * steps * 1000) / ms;
  return {
    backend: r.backend,
    badge,
    firstRunBytes: bytes,
    firstRunFiles: files,
    coldFirstStepMs: coldMs,
    trainImagesPerSecond: perSecond(r.trainMs),
    bareImagesPerSecond: perSecond(r.bareMs),
  };
}

/** The same loops in Node, on the wasm backend the CLI trains on (the cell code, run as a function). */
async function benchNode(): Promise<
  LoopFigures & { kernels: { name: string; ms: number; share: number }[] }
> {
  await initBackend({ preference: 'wasm' });
  const run = new Function(
    'tf',
    'buildCifarResNet',
    'createImageSet',
    'train',
    'steps',
    'batchSize',
    `return (async () => { ${makeData}\n${loops}\nreturn { trainMs, bareMs }; })();`,
  );
  const { trainMs, bareMs } = await run(tf, buildCifarResNet, createImageSet, train, steps, batchSize);
  const perSecond = (ms: number) => (batchSize * steps * 1000) / ms;

  // Where one step's time goes: kernels by total time.
  const model = buildCifarResNet({ depth: 20, width: 0.5, inputShape: [28, 28, 1], seed: 1 });
  const x = tf.randomNormal([batchSize, 28, 28, 1]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batchSize }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const optimizer = tf.train.momentum(0.05, 0.9);
  const step = () =>
    optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    );
  step();
  const profile = await tf.profile(() => void step());
  const byName = new Map<string, number>();
  for (const k of profile.kernels)
    byName.set(k.name, (byName.get(k.name) ?? 0) + Number(await k.kernelTimeMs));
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  const kernels = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([name, ms]) => ({ name, ms, share: ms / total }));
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return { trainImagesPerSecond: perSecond(trainMs), bareImagesPerSecond: perSecond(bareMs), kernels };
}

function benchPyTorch(
  threads: number,
): { imagesPerSecond: number; parameters: number; torch: string } | string {
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [
        resolve(import.meta.dirname, 'torch_resnet20.py'),
        `--batch=${batchSize}`,
        `--steps=${Math.max(steps, 10)}`,
        `--threads=${threads}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } catch (error) {
    return `not measured: ${(error as Error).message.split('\n')[0]} (apt-get install python3-torch)`;
  }
}

const site = await openSite();
const browser: BrowserFigures[] = [];
try {
  for (const backend of browserBackends) {
    console.error(`bench: ${backend} in Chromium…`);
    browser.push(await benchBrowser(site, backend));
  }
} finally {
  await site.close();
}
console.error('bench: wasm in Node…');
const node = await benchNode();
console.error('bench: PyTorch…');
const pytorch = [1, 2].map((threads) => ({ threads, result: benchPyTorch(threads) }));
const parameters = buildCifarResNet({
  depth: 20,
  width: 0.5,
  inputShape: [28, 28, 1],
  seed: 1,
}).countParams();

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const rows: string[][] = [
  ...browser.map((b) => [
    `Chromium, ${b.backend}`,
    b.trainImagesPerSecond.toFixed(1),
    b.bareImagesPerSecond.toFixed(1),
    `${(b.trainImagesPerSecond / b.bareImagesPerSecond).toFixed(2)}×`,
    `${(b.coldFirstStepMs / 1000).toFixed(1)} s`,
    `${kb(b.firstRunBytes)} (${b.firstRunFiles} files)`,
  ]),
  [
    'Node, wasm',
    node.trainImagesPerSecond.toFixed(1),
    node.bareImagesPerSecond.toFixed(1),
    `${(node.trainImagesPerSecond / node.bareImagesPerSecond).toFixed(2)}×`,
    '',
    '',
  ],
  ...pytorch.map(({ threads, result }) => [
    `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}`,
    typeof result === 'string' ? result : result.imagesPerSecond.toFixed(1),
    '',
    '',
    '',
    '',
  ]),
];
const header = [
  'where',
  'train() img/s',
  'bare loop img/s',
  'train/bare',
  'cold first step',
  'first Run fetches',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log(
  `\nCIFAR ResNet-20 ×0.5 (${parameters.toLocaleString('en-US')} parameters) on 28×28×1, batch ${batchSize}, ${steps} timed steps per loop; ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`,
);
console.log(`| ${header.map((h, i) => h.padEnd(widths[i])).join(' | ')} |`);
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
for (const row of rows) console.log(`| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`);
for (const b of browser) console.log(`${b.backend}: ${b.badge}`);
console.log('\nOne Node wasm step, kernels by time:');
for (const k of node.kernels)
  console.log(`  ${k.name.padEnd(24)} ${k.ms.toFixed(1).padStart(7)} ms  ${(100 * k.share).toFixed(1)}%`);

const out = resolve(import.meta.dirname, '../../test-results/bench-results.json');
await mkdir(resolve(out, '..'), { recursive: true });
await writeFile(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      model: 'cifar-resnet20 width 0.5 [28,28,1]',
      parameters,
      batchSize,
      steps,
      cpus: cpus().length,
      browser,
      node,
      pytorch,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${out}`);
