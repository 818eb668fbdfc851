import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSite, type Site } from './harness.ts';
import { about, cell, memory, outputOf, runCell, tinyData, typeInto, waitForState } from './cellHelpers.ts';

// Bad input and faults (issue 8): each case shows a clear message, the page keeps working, and the
// reader's edits survive. WebGPU runs on SwiftShader here, so every model is tiny.

let site: Site;
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
});

const savedEdit = (page: import('playwright-core').Page, id: string) =>
  page.evaluate(
    (key) => localStorage.getItem(key),
    `reslab:cell:${about.replace(/^lessons\//, '').replace(/\/$/, '')}:${id}`,
  );

describe('bad input', () => {
  test('a cell that reads an undefined variable names it and says no earlier cell declares it', async () => {
    const { page, problems } = await site.open(about);
    const shared = cell(page, 'shared-image');
    await typeInto(page, shared, 'const pixels = imagee.size;\npixels;');
    assert.equal(await runCell(shared), 'error');
    const message = await outputOf(shared);
    assert.match(message, /imagee is not defined — no earlier cell declares it/);
    assert.match(message, /line 1/);
    // A variable that only a later cell declares is explained as such.
    await typeInto(page, cell(page, 'hello'), 'const image = tf.zeros([1, 28, 28, 1]);\npixels;');
    assert.equal(await runCell(cell(page, 'hello')), 'error');
    assert.match(await outputOf(cell(page, 'hello')), /pixels is not defined — only cell “shared-image”/);
    assert.deepEqual(problems, []);
  });

  test('mismatched shapes: the message names the layer and both shapes; fixing the cell works', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    // A residual addition whose shortcut skipped the stride: [28,28,8] + [14,14,8].
    await typeInto(
      page,
      hello,
      [
        'const input = tf.input({ shape: [28, 28, 8] });',
        "const branch = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(input) as tf.SymbolicTensor;",
        "const sum = tf.layers.add({ name: 'residual_add' }).apply([input, branch]);",
      ].join('\n'),
    );
    assert.equal(await runCell(hello), 'error');
    let message = await outputOf(hello);
    assert.match(message, /residual_add/);
    assert.match(message, /\[28,28,8\]/);
    assert.match(message, /\[14,14,8\]/);
    assert.match(message, /line 3/);
    // A convolution fed a flat vector: the layer, what it expected and what it got.
    await typeInto(
      page,
      hello,
      "const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4] }), tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv1' })] });",
    );
    assert.equal(await runCell(hello), 'error');
    message = await outputOf(hello);
    assert.match(message, /conv1/);
    assert.match(message, /ndim=4/);
    assert.match(message, /\[null,8\]/);
    await typeInto(page, hello, 'const image = tf.zeros([1, 28, 28, 1]);\nimage.shape;');
    assert.equal(await runCell(cell(page, 'shared-image')), 'done');
    assert.deepEqual(problems, []);
  });

  test('a model too large for the budget gets a warning with the estimated memory before it trains', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    // 512×512 images through 64-filter convolutions at batch 64: ~13 GiB of activations, tiny weights.
    await typeInto(
      page,
      hello,
      [
        tinyData,
        'const big = tf.sequential({ name: "wide", layers: [',
        "  tf.layers.conv2d({ inputShape: [512, 512, 1], filters: 64, kernelSize: 3, padding: 'same' }),",
        "  tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same' }),",
        '  tf.layers.globalAveragePooling2d({}),',
        "  tf.layers.dense({ units: 2, activation: 'softmax' }),",
        ']});',
        'const stopped = new AbortController();',
        'stopped.abort();',
        // Stopped before the first step: only the warning and the "Stopped" status are shown.
        'train(big, data, { batchSize: 64, signal: stopped.signal });',
      ].join('\n'),
    );
    await runCell(hello);
    const warning = (await hello.locator('.cell-warning').first().textContent()) ?? '';
    assert.match(warning, /Training “wide” at batch size 64 needs about \d+(\.\d)? GiB/);
    assert.match(warning, /activations \d+(\.\d)? GiB/);
    assert.match(warning, /more than the 1\.0 GiB/);
    // The warning comes before the training view.
    const order = await hello.locator('.cell-output > *').evaluateAll((els) => els.map((el) => el.className));
    assert.ok(order.indexOf('cell-warning') < order.findIndex((c) => c.includes('cell-value')), `${order}`);
    // A small model trains without a warning.
    await typeInto(
      page,
      hello,
      `${tinyData}\nconst small = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });\nsmall;`,
    );
    assert.equal(await runCell(hello), 'done');
    assert.equal(await hello.locator('.cell-warning').count(), 0);
    assert.deepEqual(problems, []);
  });
});

describe('training faults', () => {
  // wasm trains this tiny model at thousands of steps a second, so a run that is to be stopped mid-way
  // is thousands of steps long (8 steps an epoch).
  const trainingCell = (epochs: number) =>
    [
      tinyData,
      'const model = tf.sequential({ layers: [',
      '  tf.layers.flatten({ inputShape: [4, 4, 1] }),',
      "  tf.layers.dense({ units: 2, activation: 'softmax' }),",
      ']});',
      `train(model, data, { epochs: ${epochs}, batchSize: 8, logEvery: 1, signal });`,
    ].join('\n');

  test('a run stopped half-way says so, frees its tensors, and runs to the end when restarted', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    assert.equal(await runCell(hello), 'done'); // loads TF.js; the baseline is the About cell's image
    const baseline = (await memory(page))!;
    await typeInto(page, hello, trainingCell(2000));
    await page.keyboard.press('Control+Enter');
    const status = hello.locator('.train-status');
    await page.waitForFunction(
      () => /step (\d+)\//.test(document.querySelector('.train-status')?.textContent ?? ''),
      undefined,
      { timeout: 90_000 },
    );
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForState(hello, 'stopped', 10_000);
    await page.waitForFunction(
      () => /^Stopped/.test(document.querySelector('.train-status')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    assert.match((await status.textContent()) ?? '', /stopped at step \d+ of 16000/);
    await page.waitForTimeout(300);
    const afterStop = (await memory(page))!;
    // The stopped cell's model, optimizer slots and loss sums are gone: only other cells' tensors remain.
    assert.ok(afterStop.numTensors <= baseline.numTensors, `${JSON.stringify({ baseline, afterStop })}`);

    // Restarted (a shorter run, same cell): it completes.
    await typeInto(page, hello, trainingCell(2));
    assert.equal(await runCell(hello), 'done');
    assert.match((await status.textContent()) ?? '', /^Finished after/);
    assert.equal(await hello.locator('.train-epochs tr').count(), 3, 'a header and a row per epoch');
    assert.ok(await savedEdit(page, 'hello'), 'the edit is still saved');
    assert.deepEqual(problems, []);
  });

  test('a diverging run (NaN loss) stops with a message and the page keeps working', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    // Weights of 1e38 and a learning rate of 10: the logits overflow, so the loss is NaN at once.
    await typeInto(
      page,
      hello,
      [
        tinyData,
        'const model = tf.sequential({ layers: [',
        '  tf.layers.flatten({ inputShape: [4, 4, 1] }),',
        '  tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.constant({ value: 1e38 }) }),',
        ']});',
        'train(model, data, { epochs: 5, batchSize: 8, logEvery: 1, learningRate: 10, signal });',
      ].join('\n'),
    );
    await runCell(hello);
    const status = (await hello.locator('.train-status').textContent()) ?? '';
    assert.match(status, /^Diverged after/);
    assert.match(
      status,
      /loss became (NaN|Infinity) by step \d+ \(epoch 1\); try a lower learning rate than 10/,
    );
    await typeInto(page, hello, 'const image = tf.zeros([1, 28, 28, 1]);');
    assert.equal(await runCell(cell(page, 'shared-image')), 'done');
    assert.deepEqual(problems, []);
  });

  test('navigating away mid-training stops the run (pagehide) and frees what it made', async () => {
    const { page, problems } = await site.open(about);
    const hello = cell(page, 'hello');
    assert.equal(await runCell(hello), 'done');
    const baseline = (await memory(page))!;
    await typeInto(page, hello, trainingCell(2000));
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(
      () => /step \d+\//.test(document.querySelector('.train-status')?.textContent ?? ''),
      undefined,
      { timeout: 90_000 },
    );
    // What the browser fires when the reader follows a link (the page may be kept in the bfcache).
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await waitForState(hello, 'stopped', 10_000);
    await page.waitForFunction(
      () => /^Stopped/.test(document.querySelector('.train-status')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForTimeout(300);
    const after = (await memory(page))!;
    assert.ok(after.numTensors <= baseline.numTensors, JSON.stringify({ baseline, after }));
    // A real navigation mid-run leaves no errors behind and the next page works.
    await page.keyboard.press('Escape');
    await hello.getByRole('button', { name: 'Run cell' }).click();
    await waitForState(hello, 'running');
    await page.goto(site.url('lessons/01-vgg-blocks/'));
    await cell(page, 'vgg-block').getByRole('button', { name: 'Run cell' }).click();
    await waitForState(cell(page, 'vgg-block'), 'done');
    assert.deepEqual(problems, []);
  });
});

describe('environment faults', () => {
  test('without WebGPU the notebook runs on wasm and the badge says why', async () => {
    const context = await site.browser.newContext();
    await context.addInitScript(() =>
      Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }),
    );
    const page = await context.newPage();
    await page.goto(site.url(about));
    assert.equal(await runCell(cell(page, 'shared-image')), 'done');
    const badge = (await page.locator('[data-backend]').textContent()) ?? '';
    assert.equal(badge, 'Backend: wasm (SIMD, 1 thread): webgpu: not available here (no navigator.gpu)');
    assert.match(await outputOf(cell(page, 'shared-image')), /the image has 784 pixels/);
    await context.close();
  });

  test('when the wasm binary cannot be fetched the notebook falls back to WebGL and says why', async () => {
    const context = await site.browser.newContext();
    await context.route('**/*.wasm', (route) => route.abort());
    const page = await context.newPage();
    await page.goto(site.url(about));
    assert.equal(
      await runCell(cell(page, 'shared-image')),
      'done',
      await outputOf(cell(page, 'shared-image')),
    );
    const badge = (await page.locator('[data-backend]').textContent()) ?? '';
    assert.match(badge, /^Backend: webgl: the WebGPU adapter is a software fallback \(SwiftShader\); wasm: /);
    assert.match(await outputOf(cell(page, 'shared-image')), /the image has 784 pixels/);
    await context.close();
  });

  test('a WebGPU device lost mid-run: a message, then the next run starts a fresh device', async () => {
    const { page, problems } = await site.open(`${about}?backend=webgpu`);
    const hello = cell(page, 'hello');
    await typeInto(
      page,
      hello,
      [
        'const image = tf.zeros([1, 28, 28, 1]);',
        'let steps = 0;',
        'while (!signal.aborted && steps < 5000) {',
        '  const y = tf.tidy(() => tf.matMul(tf.ones([32, 32]), tf.ones([32, 32])).sum());',
        '  await y.data();',
        '  y.dispose();',
        '  steps++;',
        '}',
        'steps;',
      ].join('\n'),
    );
    await page.keyboard.press('Control+Enter');
    await waitForState(hello, 'running');
    await page.waitForTimeout(1500);
    // As a driver reset would: the runtime's test hook destroys the backend's GPUDevice.
    await page.evaluate(() =>
      (window as unknown as { __reslab: { loseDevice(): void } }).__reslab.loseDevice(),
    );
    await waitForState(hello, 'error', 30_000);
    assert.match(await outputOf(hello), /GPU device was lost while this cell ran/);
    const notice = page.locator('[data-notice]');
    assert.match((await notice.textContent()) ?? '', /The GPU device was lost/);
    // The next run re-initialises WebGPU; the edit was kept.
    await typeInto(page, hello, 'const image = tf.zeros([1, 28, 28, 1]);\nimage.shape;');
    assert.equal(await runCell(cell(page, 'shared-image')), 'done');
    assert.match(await outputOf(cell(page, 'shared-image')), /784/);
    assert.equal(await notice.isVisible(), false);
    assert.match((await page.locator('[data-backend]').textContent()) ?? '', /^Backend: webgpu: asked for/);
    assert.match(await outputOf(hello), /1,28,28,1|1, 28, 28, 1/);
    assert.deepEqual(problems, []);
  });

  test('with localStorage and IndexedDB unavailable the page works and keeps edits in memory', async () => {
    const context = await site.browser.newContext();
    await context.addInitScript(() => {
      const deny = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      };
      Object.defineProperty(window, 'localStorage', { get: deny, configurable: true });
      Object.defineProperty(window, 'indexedDB', { get: deny, configurable: true });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(site.url(about));
    const shared = cell(page, 'shared-image');
    await typeInto(page, shared, 'const pixels = image.size * 2;\nconsole.log(`doubled: ${pixels}`);');
    assert.match(
      (await page.locator('[data-notice]').textContent()) ?? '',
      /edits cannot be saved in this browser/,
    );
    assert.equal(await runCell(shared), 'done');
    assert.match(await outputOf(shared), /doubled: 1568/);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
