// The zips the page's "Export to PyTorch" buttons download, made with the real library on the CPU and
// read back with Python's zipfile: a model goes with its weights as they are at the click, an experiment
// with the definition its committed reference results were trained from.
import * as tf from '@tensorflow/tfjs';
import { PACKAGE_FILES, PACKAGE_FILES_WITH_WEIGHTS } from '../export/torch.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index.ts';
import { decodeSafetensors } from '../../../src/lib/export/weights.ts';
import {
  describeSource,
  formatSize,
  packageFolder,
  zipExperiment,
  zipModel,
  type ExportedZip,
} from '../../../src/cells/pytorchExport.ts';

const root = mkdtempSync(join(tmpdir(), 'reslab-page-export-'));
beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const provenance = {
  source: 'exported from the page https://example.org/reslab/lessons/02-residual-blocks/, cell resnet18',
  library: { version: '0.1.0', commit: 'abc123', dirty: false },
};

/** Extracts a zip with Python's zipfile into a fresh folder; returns that folder. */
function extract(zip: ExportedZip): string {
  const dir = mkdtempSync(join(root, 'zip-'));
  writeFileSync(join(dir, zip.filename), zip.bytes);
  execFileSync('/usr/bin/python3', ['-m', 'zipfile', '-e', zip.filename, 'out'], { cwd: dir });
  return join(dir, 'out');
}

describe('names and words', () => {
  it('names the folder after the model or experiment, safe as a file name', () => {
    expect(packageFolder('d2l-resnet18')).toBe('d2l-resnet18-pytorch');
    expect(packageFolder('plain-vs-residual')).toBe('plain-vs-residual-pytorch');
    expect(packageFolder('my model/v2')).toBe('my-model-v2-pytorch');
    expect(packageFolder('../..')).toBe('model-pytorch');
    expect(packageFolder('')).toBe('model-pytorch');
  });

  it('describes the page without its query and fragment, and the cell', () => {
    expect(
      describeSource('https://x.org/reslab/lessons/02-residual-blocks/?backend=cpu#resnet18', 'resnet18'),
    ).toBe('exported from the page https://x.org/reslab/lessons/02-residual-blocks/, cell resnet18');
    expect(describeSource('http://127.0.0.1:4321/lessons/01-vgg-blocks/')).toBe(
      'exported from the page http://127.0.0.1:4321/lessons/01-vgg-blocks/',
    );
  });

  it('says how large a download is', () => {
    expect([formatSize(940), formatSize(39_117), formatSize(44_756_080)]).toEqual([
      '940 B',
      '38.2 KB',
      '42.7 MB',
    ]);
  });
});

describe('zipModel', () => {
  it("zips the package with the model's current weights, in PyTorch's layout", async () => {
    const model = lib.buildModel('cifar-resnet20', { inputShape: [8, 8, 1], classes: 3, width: 0.25 });
    // As if the reader had trained it: the weights at the click, not at build time, are exported.
    const dense = model.layers.find((l) => l.getClassName() === 'Dense')!;
    const [kernel] = dense.getWeights();
    tf.tidy(() => dense.setWeights([tf.fill(kernel.shape, 0.5), tf.tensor1d([1, 2, 3])]));
    const zip = await zipModel(lib, model, provenance);
    expect(zip.filename).toBe(`${model.name}-pytorch.zip`);
    const dir = join(extract(zip), `${model.name}-pytorch`);
    expect(readdirSync(dir).sort()).toEqual(PACKAGE_FILES_WITH_WEIGHTS);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain(provenance.source);
    expect(JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8')).library).toEqual(
      provenance.library,
    );
    const { tensors } = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))));
    const python = lib.describeArchitecture(model).pythonNames.get(dense.name)!;
    const values = (name: string) => Array.from(tensors.get(`${python}.${name}`)!.data as Float32Array);
    expect(values('bias')).toEqual([1, 2, 3]);
    expect(new Set(values('weight'))).toEqual(new Set([0.5]));
    model.dispose();
  });

  it('rejects a model the exporter does not know, naming the layer', async () => {
    const model = tf.sequential({
      name: 'my-sequence',
      layers: [tf.layers.conv1d({ name: 'x', inputShape: [16, 1], filters: 2, kernelSize: 3 })],
    });
    await expect(zipModel(lib, model, provenance)).rejects.toThrow(/^cannot export layer "x" \(a Conv1D\)/);
    model.dispose();
  });
});

describe('zipExperiment', () => {
  it("zips an experiment's package, with the definition hash of its committed reference results", async () => {
    const zip = await zipExperiment(lib, 'plain-vs-residual', provenance);
    expect(zip.filename).toBe('plain-vs-residual-pytorch.zip');
    const dir = join(extract(zip), 'plain-vs-residual-pytorch');
    expect(readdirSync(dir).sort()).toEqual(PACKAGE_FILES);
    const exported = JSON.parse(readFileSync(join(dir, 'experiment.json'), 'utf8'));
    const committed = JSON.parse(readFileSync(resolve('content/results/plain-vs-residual.json'), 'utf8'));
    expect(exported.definitionHash).toBe(committed.definitionHash);
    expect(exported.library).toEqual(provenance.library);
    expect(readFileSync(join(dir, 'model.py'), 'utf8')).toContain(provenance.source);
  });

  it('rejects an unknown experiment with the valid names', async () => {
    await expect(zipExperiment(lib, 'nope', provenance)).rejects.toThrow(
      /^invalid experiment: "nope" \(expected one of /,
    );
  });
});
