import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { openSite, type Site } from './harness.ts';
import { typeInto } from './cellHelpers.ts';

// The training half of the notebook on the built site (the first test with WebGPU forced, so that path stays
// exercised on SwiftShader; the rest on the page's own choice, wasm here): loading Fashion-MNIST with
// progress, the live training view, Stop, compare() with the paper's column, divergence, results in
// IndexedDB with export and import, and a model saved, loaded back and asked to classify an image.
// Models here are tiny (SwiftShader trains a width-0.25 ResNet-8 at a few images per second).

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const about = 'lessons/00-about-this-site/';

/** Replaces the first cell's code through its editor, runs it and waits for it to settle. */
async function runCode(page: Page, source: string, settle = true, timeout = 120_000): Promise<Locator> {
  const cell = page.locator('code-cell[data-cell-id="hello"]');
  await typeInto(page, cell, source);
  await page.keyboard.press('Control+Enter');
  if (settle)
    await page.waitForFunction(
      () =>
        ['done', 'error', 'stopped'].includes(
          document.querySelector<HTMLElement>('code-cell[data-cell-id="hello"]')!.dataset.state ?? '',
        ),
      undefined,
      { timeout, polling: 100 },
    );
  return cell;
}

const liveTensors = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __reslab: { memory(): { numTensors: number } } }).__reslab.memory().numTensors,
  );

// A linear classifier: the view tests need records, not a good model, and it trains fast on SwiftShader.
const linear = `tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] })`;

describe('training in cells', () => {
  test('loads Fashion-MNIST with progress, trains on WebGPU with a live chart and ETA, saves, exports and re-imports', async () => {
    const { page, problems } = await site.open(`${about}?backend=webgpu`);
    // Record what the view shows while it runs: chart points, status text, and whether it had finished.
    await page.evaluate(() => {
      const seen: { points: number; status: string; finished: boolean }[] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      new MutationObserver(() => {
        const view = document.querySelector<HTMLElement>('.train-view');
        if (!view) return;
        seen.push({
          points: Number(view.querySelector<HTMLElement>('.train-chart')?.dataset.points ?? 0),
          status: view.querySelector('.train-status')?.textContent ?? '',
          finished: view.dataset.state === 'finished',
        });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const cell = await runCode(
      page,
      `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 512, testSize: 128, onProgress: display.progress('Loading Fashion-MNIST') });
const model = ${linear};
model.name = 'linear';
display.training(train(model, data, { epochs: 2, batchSize: 32, logEvery: 1, learningRate: 0.1, seed: 3, signal }));`,
    );
    const output = cell.locator('.cell-output');
    assert.equal(await cell.getAttribute('data-state'), 'done', (await output.textContent()) ?? '');
    // Progress: the bar is full and the text says it is done.
    const bar = output.locator('progress.load-progress');
    assert.equal(await bar.getAttribute('aria-label'), 'Loading Fashion-MNIST');
    assert.equal(await bar.evaluate((el: HTMLProgressElement) => el.value === el.max && el.max > 0), true);
    assert.match(
      (await output.locator('.load-progress-text').textContent()) ?? '',
      /Loading Fashion-MNIST: done/,
    );
    // Live: the chart had points and the status an ETA before the run finished.
    const seen = await page.evaluate(
      () => (window as unknown as { __seen: { points: number; status: string; finished: boolean }[] }).__seen,
    );
    const live = seen.filter((s) => !s.finished);
    assert.ok(
      live.some((s) => s.points >= 2),
      'the chart was drawn before the end',
    );
    assert.ok(
      live.some((s) => /step \d+\/32 .* left/.test(s.status)),
      'progress with an ETA was shown',
    );
    const counts = new Set(live.map((s) => s.points));
    assert.ok(counts.size >= 2, `the chart was redrawn while training (point counts ${[...counts]})`);
    // Final: per-epoch table with two rows, final table, status.
    assert.equal(await output.locator('table:has(caption:text("Per epoch")) tbody tr').count(), 2);
    const finalRow = output.locator('table:has(caption:text("Final figures")) tbody tr');
    assert.equal(await finalRow.count(), 1);
    assert.match((await finalRow.textContent()) ?? '', /^linearcompleted/);
    assert.match((await output.locator('.train-status').textContent()) ?? '', /Finished after/);
    assert.match((await output.locator('.train-saved').textContent()) ?? '', /Saved in this browser/);

    // Saved in IndexedDB, with its configuration, and the loss fell.
    const stored = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const request = indexedDB.open('reslab-results');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const get = request.result.transaction('runs').objectStore('runs').getAll();
            get.onsuccess = () => resolve(get.result.map((row: { json: string }) => row.json));
          };
        }),
    );
    assert.equal(stored.length, 1);
    const run = JSON.parse(stored[0]).runs[0];
    assert.deepEqual(
      {
        model: run.config.model,
        lesson: run.config.lesson,
        backend: run.config.backend,
        seed: run.config.seed,
        budget: run.config.budget,
      },
      { model: 'linear', lesson: '00-about-this-site', backend: 'webgpu', seed: 3, budget: 'quick' },
    );
    assert.equal(run.steps.length, 32);
    const losses: number[] = run.steps.map((s: { loss: number }) => s.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(
      mean(losses.slice(-8)) < mean(losses.slice(0, 4)) * 0.8,
      `loss fell: ${losses.map((l) => l.toFixed(2))}`,
    );

    // Export as JSON and CSV.
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      output.getByText('Download results (JSON)').click(),
    ]);
    const exported = JSON.parse(await readFile((await json.path())!, 'utf8'));
    assert.equal(exported.format, 'reslab-results');
    assert.equal(exported.runs[0].id, run.id);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      output.getByText('Download results (CSV)').click(),
    ]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trim().split('\n');
    assert.match(lines[0], /^id,lesson,model,variant,seed,budget,backend,device,epoch,step,trainLoss/);
    assert.equal(lines.length, 3, 'a header and one row per epoch');

    // Re-import beside the run (validated), and reject a file that is not a results export.
    exported.runs[0].id = 'earlier';
    const file = join(tmpdir(), 'reslab-earlier.json');
    await writeFile(file, JSON.stringify(exported));
    await output.locator('input[data-import]').setInputFiles(file);
    await finalRow.nth(1).waitFor();
    assert.match((await finalRow.nth(1).textContent()) ?? '', /linear \(imported, \d{4}-\d\d-\d\d, quick\)/);
    const bad = join(tmpdir(), 'reslab-bad.json');
    await writeFile(bad, JSON.stringify({ format: 'other', runs: [] }));
    await output.locator('input[data-import]').setInputFiles(bad);
    // The file is read asynchronously: wait for the alert to say something before reading it.
    const alert = output.locator('.train-actions [role="alert"]').filter({ hasText: /\S/ });
    await alert.waitFor({ timeout: 10_000 });
    assert.match((await alert.textContent()) ?? '', /invalid results file: format: .*ResLab results export/);
    assert.deepEqual(problems, []);
  });

  test('Stop aborts a running training within a step and leaves no tensors behind', async () => {
    const { page } = await site.open(about);
    await runCode(
      page,
      `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 256, testSize: 32 });\n1;`,
    );
    const before = await liveTensors(page);
    // A width-0.25 ResNet-8 at batch 32: a step takes tens of milliseconds on wasm (seconds on WebGPU on
    // SwiftShader), and 800 steps keep it running well past Stop.
    const cell = await runCode(
      page,
      `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 256, testSize: 32 });
const model = buildCifarResNet({ depth: 8, width: 0.25, inputShape: [28, 28, 1] });
train(model, data, { epochs: 100, batchSize: 32, logEvery: 1, signal });`,
      false,
    );
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('.train-chart')?.dataset.points ?? 0) >= 2,
      undefined,
      { timeout: 120_000 },
    );
    const stoppedAt = Date.now();
    await page.getByRole('button', { name: 'Stop' }).click();
    await cell.locator('.train-view[data-reason="aborted"]').waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - stoppedAt) / 1000;
    console.log(`Stop to aborted record: ${seconds.toFixed(1)} s`);
    assert.ok(seconds < 15, `the run ended ${seconds} s after Stop (a step takes a few seconds here)`);
    // The cell settles as stopped once its run has returned, just after the view.
    await cell.locator('xpath=self::*[@data-state="stopped"]').waitFor({ timeout: 10_000 });
    assert.match(
      (await cell.locator('.train-status').textContent()) ?? '',
      /Stopped after .* stopped at step \d+ of 800/,
    );
    // The stopped step's tensors and the optimiser's are freed once the loop has noticed.
    await page
      .waitForFunction(
        (n) =>
          (window as unknown as { __reslab: { memory(): { numTensors: number } } }).__reslab.memory()
            .numTensors === n,
        before,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    assert.equal(await liveTensors(page), before);
  });

  test('compare() overlays the variants, tables them beside the paper, and a diverged run says so', async () => {
    const { page, problems } = await site.open(about);
    const cell = await runCode(
      page,
      `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 128, testSize: 64 });
const variants = ['identity', 'conv1x1'].map((name, i) => ({ name, build: (seed: number) => {
  const model = ${linear};
  return model;
} }));
display.training(compare(variants, data, { batchSize: 32, logEvery: 1, learningRate: 0.05, signal }), { paper: identityMappingsTable1 });
const model = ${linear};
// Pixels divided by ~0 overflow float32: the loss is not finite at the first read-back.
display.training(train(model, { ...data, preprocess: { std: 1e-38 } }, { batchSize: 32, logEvery: 1, signal }));`,
    );
    const output = cell.locator('.cell-output');
    assert.equal(await cell.getAttribute('data-state'), 'done', (await output.textContent()) ?? '');
    const [comparison, diverged] = [
      output.locator('.train-view').nth(0),
      output.locator('.train-view').nth(1),
    ];
    // One line per variant and a legend.
    assert.equal(
      await comparison
        .locator('.train-chart svg [aria-label="line"] path, .train-chart svg g[aria-label="line"] path')
        .count(),
      2,
    );
    const rows = comparison.locator('table:has(caption:text("Final figures")) tbody tr');
    assert.equal(await rows.count(), 2);
    const head = await comparison.locator('table:has(caption:text("Final figures")) thead').textContent();
    assert.match(head ?? '', /Paper error \(Table 1\)/);
    assert.match((await rows.nth(0).textContent()) ?? '', /^identitycompleted.*6\.61/);
    assert.match((await rows.nth(1).textContent()) ?? '', /^conv1x1completed.*12\.22/);
    assert.match(
      (await comparison.locator('.train-paper-note').textContent()) ?? '',
      /He et al\. 2016.*ranking/,
    );
    // Divergence: a clear alert, and the run's end reason.
    assert.equal(await diverged.getAttribute('data-reason'), 'diverged');
    assert.match(
      (await diverged.locator('[role="alert"].train-diverged').textContent()) ?? '',
      /Training diverged\. loss became (NaN|Infinity|-Infinity) by step 1 .*lower learning rate/,
    );
    assert.deepEqual(problems, []);
  });

  test('a trained model is saved to IndexedDB, downloaded, loaded back with its custom layers, and classifies an image', async () => {
    const { page, problems } = await site.open(about);
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    const cell = await runCode(
      page,
      `const data = await loadFashionMnist({ baseUrl: dataUrl, trainSize: 64, testSize: 16 });
const model = buildCifarResNet({ depth: 8, width: 0.25, shortcut: 'exclusiveGating', inputShape: [28, 28, 1], seed: 2 });
await saveModel(model, 'gated');
const loaded = await loadModel('gated');
const { x } = data.toTensors('test', 4);
const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor))));
console.log('max difference', (await difference.data())[0], 'saved', (await listSavedModels()).map((m) => m.name).join(','));
await downloadModel(loaded, 'gated');
classify(loaded, { set: data.test, index: 0 }, { preprocess: data.preprocess, classNames: data.classNames });`,
    );
    const output = cell.locator('.cell-output');
    assert.equal(await cell.getAttribute('data-state'), 'done', (await output.textContent()) ?? '');
    assert.match((await output.textContent()) ?? '', /max difference 0 saved .*gated/);
    assert.deepEqual(downloads.sort(), ['gated.json', 'gated.weights.bin']);
    const view = output.locator('.prediction-view');
    assert.match(
      (await view.locator('.prediction-head').textContent()) ?? '',
      /^Predicted: .+ \(\d+\.\d%\) · (correct|wrong)/,
    );
    assert.equal(await view.locator('svg').count(), 1);
    assert.equal(await view.locator('table tbody tr').count(), 10);
    const gateLayers = await page.evaluate(async () => {
      const request = indexedDB.open('tensorflowjs');
      const db: IDBDatabase = await new Promise(
        (resolve) => (request.onsuccess = () => resolve(request.result)),
      );
      const all: { modelArtifacts: { modelTopology: unknown } }[] = await new Promise((resolve) => {
        const get = db.transaction('models_store').objectStore('models_store').getAll();
        get.onsuccess = () => resolve(get.result);
      });
      return (
        JSON.stringify(all[0].modelArtifacts.modelTopology).match(/"class_name":"GateCombine"/g)?.length ?? 0
      );
    });
    assert.ok(gateLayers >= 3, `the saved topology has the custom gating layers (${gateLayers})`);
    assert.deepEqual(problems, []);
  });
});
