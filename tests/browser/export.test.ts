import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { openSite, seriousAxeViolations, type Site } from './harness.ts';
import { cell, outputOf, runCell } from './cellHelpers.ts';

// "Export to PyTorch" on a lesson page, as a reader clicks it: an experiment's button (the library
// loads on the click) and, once the cell has run, the one under a model's trace. Each zip is caught
// as a download and read with Python's zipfile, a reader independent of the site's writer.

let site: Site;
const downloads = mkdtempSync(join(tmpdir(), 'reslab-export-'));
before(async () => {
  site = await openSite();
});
after(async () => {
  await site?.close();
  rmSync(downloads, { recursive: true, force: true });
});

const lesson = 'lessons/02-residual-blocks/';
const packageFiles = ['model.py', 'blocks.py', 'weights.py', 'train.py', 'experiment.json', 'README.md'];

/** Clicks an export button, waits for the download and returns the zip's file names and experiment.json. */
async function exportZip(page: Page, root: Locator, expected: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    root.getByRole('button', { name: 'Export to PyTorch' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), expected);
  const path = join(downloads, expected);
  await download.saveAs(path);
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'assert z.testzip() is None',
    'names = z.namelist()',
    'meta = json.loads(z.read(next(n for n in names if n.endswith("/experiment.json"))))',
    'print(json.dumps({"names": names, "experiment": meta}))',
  ].join('\n');
  const read = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, path], { encoding: 'utf8' }));
  return read as { names: string[]; experiment: { definitionHash: string; library: { commit: string } } };
}

test('an experiment and a model export to PyTorch as zips, the library loading only on the click', async () => {
  const { page, problems } = await site.open(lesson);
  await page.waitForLoadState('networkidle');
  const tfjs = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .some((entry) => /\/_astro\/(tfjs|prelude|lib|backend)\.[^/]*\.js$/.test(entry.name)),
    );
  assert.equal(await tfjs(), false, 'no TF.js, prelude or library chunk before a click');

  // The experiment: its networks and recipe; its definition is the one the committed results were trained from.
  const experiment = page.locator('export-pytorch[data-experiment="plain-vs-residual"]');
  const zip = await exportZip(page, experiment, 'plain-vs-residual-pytorch.zip');
  assert.deepEqual(zip.names.sort(), packageFiles.map((f) => `plain-vs-residual-pytorch/${f}`).sort());
  const committed = JSON.parse(
    readFileSync(resolve(import.meta.dirname, '../../content/results/plain-vs-residual.json'), 'utf8'),
  ) as { definitionHash: string };
  assert.equal(zip.experiment.definitionHash, committed.definitionHash);
  assert.equal(await tfjs(), true, 'the click loaded them');
  assert.match(zip.experiment.library.commit, /^([0-9a-f]{40}|unknown)$/);
  assert.match(
    (await experiment.locator('[data-export-status]').textContent()) ?? '',
    /^Downloaded plain-vs-residual-pytorch\.zip \(\d+\.\d KB\)\.$/,
  );

  // A model a cell shows: exported with its weights.
  const resnet = cell(page, 'resnet18');
  assert.equal(await runCell(resnet, 180_000), 'done', await outputOf(resnet));
  const model = await exportZip(page, resnet.locator('.export-pytorch'), 'd2l-resnet18-pytorch.zip');
  assert.deepEqual(
    model.names.sort(),
    [...packageFiles, 'weights.safetensors'].map((f) => `d2l-resnet18-pytorch/${f}`).sort(),
  );
  const status = resnet.locator('[data-export-status]');
  assert.match((await status.textContent()) ?? '', /^Downloaded d2l-resnet18-pytorch\.zip \(\d+\.\d MB\)\.$/);

  // The buttons keep the keyboard: focus stays on the button through the export.
  const button = resnet.getByRole('button', { name: 'Export to PyTorch' });
  assert.equal(await button.evaluate((el) => el === document.activeElement), true, 'focus on the button');
  assert.deepEqual(await seriousAxeViolations(page), [], 'axe after both exports');
  assert.deepEqual(problems, []);
});
