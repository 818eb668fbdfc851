import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { typeInto } from './cellHelpers.ts';

// Backend parity (issue 5): one training step's gradients of a small residual model with BN, projection
// shortcuts and exclusive gating, from identical weights and the same batch, on the CPU backend and on
// WebGPU (SwiftShader), for several seeds. Variant comparisons mean something only if these agree.
const tolerance = 1e-3;

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const code = `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 64, testSize: 8 });
const parity: { seed: number; worst: number; weight: string }[] = [];
for (const seed of [1, 2, 3, 4]) {
  const build = () => buildCifarResNet({ depth: 8, width: 0.25, shortcut: 'exclusiveGating', downsample: 'projection', inputShape: [28, 28, 1], seed });
  const indices = Array.from({ length: 8 }, (_, i) => (i * 7 + seed) % 64);
  await tf.setBackend('cpu');
  const onCpu = build();
  const weights = await Promise.all(onCpu.getWeights().map(async (w) => ({ values: await w.data(), shape: w.shape })));
  const cpu = await computeGradients(onCpu, data.train, indices, { preprocess: data.preprocess });
  onCpu.dispose();
  await tf.setBackend('webgpu');
  const onGpu = build();
  onGpu.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  const gpu = await computeGradients(onGpu, data.train, indices, { preprocess: data.preprocess });
  onGpu.dispose();
  const { worst, weight } = compareGradients(cpu, gpu);
  parity.push({ seed, worst, weight });
}
(globalThis as unknown as { __parity: unknown }).__parity = parity;
JSON.stringify(parity);`;

test(
  'one step of a residual model with BN, projection and gating: CPU and WebGPU gradients agree',
  { timeout: 300_000 },
  async () => {
    const { page, problems } = await site.open('lessons/00-about-this-site/');
    const cell = page.locator('code-cell[data-cell-id="hello"]');
    await typeInto(page, cell, code);
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
