import * as tf from '@tensorflow/tfjs';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../../src/cli/export.ts';
import { buildModel } from '../../../src/lib/models/registry.ts';
import { PACKAGE_FILES_WITH_WEIGHTS, runPython } from './torch.ts';

const root = mkdtempSync(join(tmpdir(), 'reslab-export-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runExportCommand(args, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    cwd: root,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

// Saves a TF.js model as the page's downloadModel does: <name>.json with its weights manifest, and the .bin.
async function saveTfjsModel(model: tf.LayersModel, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData as ArrayBuffer;
      writeFileSync(join(dir, `${name}.weights.bin`), new Uint8Array(weightData));
      const manifest = [{ paths: [`${name}.weights.bin`], weights: artifacts.weightSpecs }];
      writeFileSync(
        join(dir, `${name}.json`),
        JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: manifest }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return join(dir, `${name}.json`);
}

describe('reslab export pytorch', () => {
  it('writes a model with its architecture options and weights', async () => {
    const r = await cli(
      'pytorch',
      'cifar-resnet20',
      '--width',
      '0.25',
      '--variant',
      'shortcut=conv1x1',
      '--weights',
      '--out',
      'a',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(root, 'a')).sort()).toEqual(PACKAGE_FILES_WITH_WEIGHTS);
    const source = readFileSync(join(root, 'a', 'model.py'), 'utf8');
    expect(source).toContain(
      '(reslab export pytorch cifar-resnet20 --width 0.25 --variant shortcut=conv1x1)',
    );
    expect(source).toContain('BasicBlock(4, 4, shortcut="conv1x1")');
    const json = JSON.parse(readFileSync(join(root, 'a', 'experiment.json'), 'utf8'));
    expect(json.definition.variants).toEqual([
      {
        name: 'cifar-resnet20',
        model: 'cifar-resnet20',
        options: { width: 0.25, variants: { shortcut: 'conv1x1' } },
      },
    ]);
    expect(json.library.commit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
  });

  it('writes an experiment, and refuses model options beside it', async () => {
    const r = await cli('pytorch', '--experiment', 'shortcut-variants', '--out', 'e');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, 'e', 'model.py'), 'utf8')).toContain('"exclusiveGating": ExclusiveGating');
    const bad = await cli('pytorch', '--experiment', 'shortcut-variants', '--width', '2', '--out', 'e2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid options with --experiment: --width/);
  });

  it('takes the weights of a model saved by the page, and refuses those of another architecture', async () => {
    const trained = buildModel('cifar-resnet20', { width: 0.25, seed: 7 });
    const file = await saveTfjsModel(trained, join(root, 'saved'), 'mine');
    trained.dispose();
    const ok = await cli(
      'pytorch',
      'cifar-resnet20',
      '--width',
      '0.25',
      '--weights-from',
      file,
      '--out',
      'w',
    );
    expect(ok.code, ok.stderr).toBe(0);
    const wrong = await cli(
      'pytorch',
      'cifar-resnet20',
      '--width',
      '0.5',
      '--weights-from',
      file,
      '--out',
      'w2',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /invalid --weights-from .*mine\.json: not the weights of cifar-resnet20 as built from these options: conv1\/conv\/kernel is \[3,3,3,4\], the model's \[3,3,3,8\]/,
    );
    expect(existsSync(join(root, 'w2'))).toBe(false);
    // The exported weights are the saved ones (seed 7), not a fresh build's (seed 0): PyTorch loads them.
    const script = `import sys; sys.path.insert(0, ${JSON.stringify(join(root, 'w'))}); import model, weights, torch; m = model.build(); weights.load_weights(m, ${JSON.stringify(join(root, 'w', 'weights.safetensors'))}); print(m.conv1.conv.weight.flatten()[0].item())`;
    const saved = buildModel('cifar-resnet20', { width: 0.25, seed: 7 });
    const first = (await saved.getLayer('conv1/conv').getWeights()[0].data())[0];
    saved.dispose();
    const result = runPython(['-c', script]);
    expect(result.stderr).toBe('');
    expect(Number(result.stdout)).toBeCloseTo(first, 6);
  });

  it('bad input gets a clear message and leaves nothing behind', async () => {
    const cases: [string[], number, RegExp][] = [
      [['pytorch', 'resnet9', '--out', 'x'], 1, /invalid model: "resnet9" \(expected one of vgg11/],
      [
        ['pytorch', 'resnet50', '--variant', 'stridePlacement=middle', '--out', 'x'],
        1,
        /invalid stridePlacement: "middle" \(expected one of paper, torchvision\)/,
      ],
      [['pytorch', 'resnet50', '--depth', '3', '--out', 'x'], 2, /invalid option: .*--depth/],
      [['pytorch', 'resnet50'], 2, /--out DIR is required/],
      [['onnx', 'resnet50', '--out', 'x'], 2, /invalid export target: "onnx" \(expected pytorch\)/],
      [
        ['pytorch', '--experiment', 'nope', '--out', 'x'],
        1,
        /invalid experiment: "nope" \(expected one of vgg-blocks/,
      ],
      [['pytorch', 'resnet18', '--out', '/proc/reslab-export'], 1, /cannot write \/proc\/reslab-export/],
    ];
    for (const [args, code, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(root, 'x'))).toBe(false);
    mkdirSync(join(root, 'full'));
    writeFileSync(join(root, 'full', 'mine.txt'), 'keep me');
    const full = await cli('pytorch', 'resnet18', '--width', '0.125', '--out', 'full');
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(
      /invalid --out: .*full exists and is not empty \(expected a new or empty folder, or --force/,
    );
    expect(readFileSync(join(root, 'full', 'mine.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
