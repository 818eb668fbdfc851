// The exported train.py, run for real: torchrun with two CPU processes (gloo) on an experiment's own
// export writes a results file the site reads, with the experiment's definition hash; and train.py's own
// CPU suite (tests/python/test_train.py: data ops against TF.js, 1 vs 2 processes, resume, bad input).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDataCommand } from '../../../src/cli/data.ts';
import { exportExperiment } from '../../../src/lib/export/package.ts';
import { getExperiment } from '../../../src/lib/experiments/registry.ts';
import { parseExperimentResults } from '../../../src/lib/experiments/resultsFile.ts';
import { PYTHON, runPython, writePackage } from './torch.ts';

const root = mkdtempSync(join(tmpdir(), 'reslab-train-'));
const data = join(root, 'fashion-mnist');
beforeAll(async () => {
  await tf.setBackend('cpu');
  const code = await runDataCommand(['prepare', '--out', data], { log: () => {}, error: () => {} });
  if (code !== 0) throw new Error(`reslab data prepare failed with ${code}`);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('train.py', () => {
  it('torchrun --nproc_per_node=2 runs two steps of an exported experiment and writes a valid results file', async () => {
    const experiment = getExperiment('plain-vs-residual');
    const dir = join(root, 'package');
    writePackage(dir, await exportExperiment(experiment));
    const out = join(root, 'results.json');
    // Debian's torch 1.13 on Python 3.11 needs --redirects/--tee set (a torchrun bug of that pairing).
    const result = spawnSync(
      '/usr/bin/torchrun',
      [
        '--redirects',
        '1',
        '--tee',
        '1',
        '--nproc_per_node=2',
        join(dir, 'train.py'),
        '--data',
        data,
        '--variants',
        'resnet-8',
        '--seeds',
        '0',
        '--max-steps',
        '2',
        '--out',
        out,
        '--checkpoints',
        join(root, 'checkpoints'),
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 300_000 },
    );
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const results = parseExperimentResults(readFileSync(out, 'utf8'), out);
    expect(results.experiment).toBe('plain-vs-residual');
    expect(results.definitionHash).toBe(await experiment.definitionHash('reference'));
    expect(results.definition).toEqual(experiment.describe('reference'));
    const [run] = results.runs;
    expect(results.runs).toHaveLength(1);
    expect(run).toMatchObject({ variant: 'resnet-8', seed: 0, status: 'completed' });
    expect(run.epochs.at(-1)?.step).toBe(2);
    expect(Number.isFinite(run.final.testError)).toBe(true);
    expect(run.provenance.runtime).toMatch(/2 processes \(gloo\)/);
    expect(run.provenance.backend.name).toBe('pytorch-cpu');
  }, 300_000);

  it("passes its CPU suite against the site's own code (tests/python/test_train.py)", () => {
    const result = runPython(['tests/python/test_train.py'], { timeoutMs: 600_000 });
    expect(result.status, `${PYTHON} tests/python/test_train.py\n${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('all train.py tests passed');
  }, 600_000);
});
