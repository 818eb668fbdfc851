import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { typeInto } from './cellHelpers.ts';
import type { Page } from 'playwright-core';

// Backend parity: one training step's gradients of a small residual model with BN, projection shortcuts
// and exclusive gating, from identical weights and the same batch, on the CPU backend and on WebGPU
// (SwiftShader), for several seeds. Variant comparisons mean something only if these agree. The page
// starts on the CPU (?backend=cpu) and then switches to WebGPU with the "Run on" selector, as a reader
// would; the CPU's weights and gradients wait in a global, since switching restarts the notebook. (wasm
// against the CPU is checked in Node: tests/unit/lib/wasmKernels.test.ts.)
const tolerance = 1e-3;

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const build = `const build = (seed: number) => buildCifarResNet({ depth: 8, width: 0.25, shortcut: 'exclusiveGating', downsample: 'projection', inputShape: [28, 28, 1], seed });
const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 64, testSize: 8 });
const batch = (seed: number) => Array.from({ length: 8 }, (_, i) => (i * 7 + seed) % 64);
const seeds = [1, 2, 3, 4];
const stash = globalThis as unknown as { __cpu: { weights: { values: Float32Array; shape: number[] }[]; grads: WeightGradient[] }[]; __parity: unknown };`;

const onCpu = `${build}
stash.__cpu = [];
for (const seed of seeds) {
  const model = build(seed);
  const weights = await Promise.all(model.getWeights().map(async (w) => ({ values: (await w.data()) as Float32Array, shape: w.shape })));
  stash.__cpu.push({ weights, grads: await computeGradients(model, data.train, batch(seed), { preprocess: data.preprocess }) });
  model.dispose();
}
tf.getBackend();`;

const onGpu = `${build}
const parity = [];
for (const [i, seed] of seeds.entries()) {
  const model = build(seed);
  model.setWeights(stash.__cpu[i].weights.map((w) => tf.tensor(w.values, w.shape)));
  const grads = await computeGradients(model, data.train, batch(seed), { preprocess: data.preprocess });
  model.dispose();
  const { worst, weight } = compareGradients(stash.__cpu[i].grads, grads);
  parity.push({ seed, worst, weight });
}
stash.__parity = parity;
tf.getBackend();`;

async function runHello(page: Page, source: string): Promise<string> {
  const cell = page.locator('code-cell[data-cell-id="hello"]');
  await typeInto(page, cell, source);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(
    () =>
      ['done', 'error'].includes(
        document.querySelector<HTMLElement>('code-cell[data-cell-id="hello"]')!.dataset.state ?? '',
      ),
    undefined,
    { timeout: 280_000, polling: 250 },
  );
  const output = (await cell.locator('.cell-output').textContent()) ?? '';
  assert.equal(await cell.getAttribute('data-state'), 'done', output);
  return output;
}

test(
  'one step of a residual model with BN, projection and gating: CPU and WebGPU gradients agree (switching backend on the page)',
  { timeout: 300_000 },
  async () => {
    const { page, problems } = await site.open('lessons/00-about-this-site/?backend=cpu');
    assert.match(await runHello(page, onCpu), /cpu/);
    const badge = page.locator('[data-backend]');
    assert.equal(await badge.getAttribute('data-backend'), 'cpu');
    // Switching restarts the notebook and says so.
    await page.locator('[data-backend-select]').selectOption('webgpu');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('[data-backend]')?.dataset.backend === 'webgpu',
      undefined,
      { timeout: 120_000 },
    );
    assert.match(
      (await page.locator('[data-notice]').textContent()) ?? '',
      /^Switched from cpu to webgpu\. Tensors and models do not move between backends/,
    );
    assert.match(await runHello(page, onGpu), /webgpu/);
    const parity = (await page.evaluate(() => (globalThis as unknown as { __parity: unknown }).__parity)) as {
      seed: number;
      worst: number;
      weight: string;
    }[];
    for (const p of parity)
      console.log(`seed ${p.seed}: worst relative gradient error ${p.worst.toExponential(2)} (${p.weight})`);
    const worst = parity.reduce((a, b) => (b.worst > a.worst ? b : a));
    console.log(
      `worst over ${parity.length} seeds: ${worst.worst.toExponential(2)} (seed ${worst.seed}, ${worst.weight})`,
    );
    assert.equal(parity.length, 4);
    assert.ok(
      worst.worst < tolerance,
      `worst relative gradient error ${worst.worst} ≥ ${tolerance} (seed ${worst.seed}, ${worst.weight})`,
    );
    assert.deepEqual(problems, []);
  },
);
