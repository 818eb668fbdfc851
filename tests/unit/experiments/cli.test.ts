import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperimentCommand } from '../../../src/cli/experiment.ts';
import {
  EXPERIMENT_NAMES,
  getExperiment,
  parseExperimentResults,
  type ExperimentResults,
} from '../../../src/lib/experiments/index.ts';
import { makeTempDir, prepareData, reslab, startReslab } from './helpers.ts';

// Each run here trains at the quick budget (32 images, two steps of 16 per variant): seconds in all.
const temp = makeTempDir('reslab-experiment-cli-');
const data = join(temp.dir, 'data');
beforeAll(() => prepareData(data), 60_000);
afterAll(() => temp.remove());

/** Runs the command in this process, capturing its output; `stopAfter` aborts once that many runs are saved. */
async function runInProcess(args: string[], stopAfter?: number) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  let saved = 0;
  const code = await runExperimentCommand(args, {
    stdout: (line) => out.push(line),
    stderr: (text) => err.push(text),
    isTTY: false,
    signal: controller.signal,
    onSigint: () => () => {},
    onRunSaved: () => {
      saved++;
      if (saved === stopAfter) controller.abort();
    },
  });
  return { code, stdout: out.join('\n'), stderr: err.join('') };
}

const read = (file: string): ExperimentResults => parseExperimentResults(readFileSync(file, 'utf8'), file);

describe('reslab experiment list', () => {
  it('prints one experiment name per line', () => {
    const { code, stdout } = reslab('experiment', 'list');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([...EXPERIMENT_NAMES]);
  });
});

describe('reslab experiment describe', () => {
  it('prints what determines the results at a budget, with its definition hash', async () => {
    const { code, stdout } = reslab('experiment', 'describe', 'shortcut-variants', '--budget', 'reference');
    expect(code).toBe(0);
    const described = JSON.parse(stdout);
    const experiment = getExperiment('shortcut-variants');
    expect(described.definitionHash).toBe(await experiment.definitionHash('reference'));
    expect(described.variants).toHaveLength(6);
    expect(described.data).toMatchObject({ subset: 'lesson', trainSize: 10_000, normalize: 'standardize' });
  });
});

describe('reslab experiment: bad arguments', () => {
  const names = EXPERIMENT_NAMES.join(', ');
  it.each([
    [['run', 'resnet'], `invalid experiment: "resnet" (expected one of ${names})`],
    [['run'], `invalid experiment: undefined (expected one of ${names})`],
    [['run', 'vgg-blocks', 'plain-vs-residual'], 'invalid experiment: "vgg-blocks plain-vs-residual"'],
    [
      ['run', 'vgg-blocks', '--seeds', '0,one'],
      'invalid --seeds: "0,one" (expected comma-separated non-negative integers, e.g. 0,1,2)',
    ],
    [['run', 'vgg-blocks', '--seeds', '1,1'], 'invalid --seeds: "1,1" (seed 1 twice)'],
    [['run', 'vgg-blocks', '--seeds', '-1'], 'invalid option'],
    [
      ['run', 'vgg-blocks', '--budget', 'huge'],
      'invalid --budget: "huge" (expected one of quick, one-epoch, reference)',
    ],
    [
      ['run', 'vgg-blocks', '--epochs', '3'],
      "invalid option: Unknown option '--epochs' (expected --budget, --seeds, --out, --data)",
    ],
    [['train'], 'invalid experiment command: "train" (expected one of list, describe, run)'],
    [['list', 'extra'], 'invalid option'],
  ])('%j → exit 2: %s', async (args, message) => {
    const { code, stderr, stdout } = await runInProcess(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('exits 2 with the usage from the real command line, and lists experiment in the main usage', () => {
    const bad = reslab('experiment', 'run', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid experiment: "nope" (expected one of vgg-blocks, plain-vs-residual');
    expect(reslab('experiment', '--help').stdout).toMatch(/reslab experiment run <name> \[--budget B\]/);
    expect(reslab('--help').stdout).toMatch(/reslab experiment list/);
  });

  it('says how to get the data when the shards are missing (exit 1)', async () => {
    const out = join(temp.dir, 'nodata.json');
    const { code, stderr } = await runInProcess([
      'run',
      'vgg-blocks',
      '--budget',
      'quick',
      '--out',
      out,
      '--data',
      join(temp.dir, 'none'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no Fashion-MNIST shards in .*none \(run `reslab data prepare` first/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('reslab experiment run', () => {
  const out = join(temp.dir, 'preact.json');

  it('trains a tiny budget end to end, with progress, into a valid results file', async () => {
    const { code, stdout, stderr } = reslab(
      'experiment',
      'run',
      'original-vs-preactivation',
      '--budget',
      'quick',
      '--seeds',
      '0,1',
      '--out',
      out,
      '--data',
      data,
    );
    expect(stderr).toMatch(/run 1\/4 original seed 0: started/);
    expect(stderr).toMatch(
      /run 2\/4 pre-activation seed 0 · epoch 1\/1 · train loss \d\.\d+ · test error [\d.]+% · \d+ img\/s · ETA /,
    );
    expect(stderr).toMatch(/run 4\/4 pre-activation seed 1: saved, test error [\d.]+%/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/original\s+2\s+[\d.]+%/);
    const results = read(out);
    const experiment = getExperiment('original-vs-preactivation');
    expect(results.definitionHash).toBe(await experiment.definitionHash('quick'));
    expect(results.runs.map((r) => `${r.variant}@${r.seed}`)).toEqual([
      'original@0',
      'pre-activation@0',
      'original@1',
      'pre-activation@1',
    ]);
    const run = results.runs[0];
    expect(run.epochs).toHaveLength(1);
    expect(run.curve).toMatchObject({ every: 1 });
    expect(run.curve.loss).toHaveLength(2);
    expect(run.provenance.backend).toEqual({ name: 'wasm', simd: expect.any(Boolean), threads: 1 });
    expect(run.provenance.library.commit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(results.definition.data).toMatchObject({ subset: 'lesson', trainSize: 32, testSize: 32 });
    // The two seeds are different runs; each seed's two variants saw the same images in the same order.
    expect(results.runs[0].curve.loss).not.toEqual(results.runs[2].curve.loss);
  });

  it('does nothing when every run is already there', async () => {
    const before = readFileSync(out, 'utf8');
    const { code, stdout } = await runInProcess([
      'run',
      'original-vs-preactivation',
      '--budget',
      'quick',
      '--seeds',
      '1,0',
      '--out',
      out,
      '--data',
      data,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/already has all 4 runs .*nothing to do/);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('keeps finished runs when interrupted (exit 130, how to resume), and resumes without repeating one', async () => {
    const file = join(temp.dir, 'shortcuts.json');
    const args = [
      'run',
      'basic-vs-bottleneck',
      '--budget',
      'quick',
      '--seeds',
      '0,1',
      '--out',
      file,
      '--data',
      data,
    ];
    const first = await runInProcess(args, 1);
    expect(first.code).toBe(130);
    expect(first.stderr).toContain('interrupted: 1 of 4 runs are saved in');
    expect(first.stderr).toContain(
      `Resume with:\n  reslab experiment run basic-vs-bottleneck --budget quick --seeds 0,1 --out ${file}`,
    );
    const saved = read(file);
    expect(saved.runs.map((r) => `${r.variant}@${r.seed}`)).toEqual(['basic@0']);

    const second = await runInProcess(args, 2);
    expect(second.code).toBe(130);
    expect(second.stderr).toContain('interrupted: 3 of 4 runs are saved');
    const third = await runInProcess(args);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('1 runs trained now, 3 kept from before');
    const done = read(file);
    expect(done.runs.map((r) => `${r.variant}@${r.seed}`)).toEqual([
      'basic@0',
      'bottleneck@0',
      'basic@1',
      'bottleneck@1',
    ]);
    // The run saved first is kept as it was, provenance and all.
    expect(done.runs[0]).toEqual(saved.runs[0]);
  });

  it('redraws one progress line on a terminal: run, epoch, bar, images/s, ETA', async () => {
    const file = join(temp.dir, 'tty.json');
    const err: string[] = [];
    const code = await runExperimentCommand(
      ['run', 'vgg-blocks', '--budget', 'quick', '--seeds', '0', '--out', file, '--data', data],
      {
        stdout: () => {},
        stderr: (text) => err.push(text),
        isTTY: true,
        columns: 200,
        onSigint: () => () => {},
      },
    );
    expect(code).toBe(0);
    const text = err.join('');
    // The progress line redraws itself with carriage return and ESC [K (erase to the end of the line).
    /* eslint-disable no-control-regex */
    expect(text).toMatch(
      /\r\x1b\[Krun 1\/1 vgg11-small seed 0 · epoch 1\/1 [█░]{16} [0-2]\/2 · \d+ img\/s · ETA /,
    );
    expect(text).toMatch(/\r\x1b\[Krun 1\/1 vgg11-small seed 0: saved, test error [\d.]+%/);
    /* eslint-enable no-control-regex */
    expect(text).not.toContain(': started');
  });

  it('stops on Ctrl-C (SIGINT) with exit 130 and a resume command, saving no unfinished run', async () => {
    const file = join(temp.dir, 'vgg.json');
    // The one-epoch budget takes minutes, so the signal lands in the first run.
    const child = startReslab(
      'experiment',
      'run',
      'vgg-blocks',
      '--budget',
      'one-epoch',
      '--seeds',
      '0',
      '--out',
      file,
      '--data',
      data,
    );
    let stderr = '';
    let sent = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (!sent && stderr.includes('run 1/1 vgg11-small seed 0: started')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(stderr).toContain('stopping: the run in progress is dropped');
    expect(stderr).toContain('interrupted: no run had finished, nothing was saved');
    expect(stderr).toContain(`reslab experiment run vgg-blocks --budget one-epoch --seeds 0 --out ${file}`);
    expect(code).toBe(130);
    expect(existsSync(file)).toBe(false);
  }, 60_000);

  it('refuses to resume into a file made by another definition, or of another experiment', async () => {
    const results = JSON.parse(readFileSync(out, 'utf8'));
    const stale = join(temp.dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ ...results, definitionHash: 'f'.repeat(64) }));
    const args = (file: string, name = 'original-vs-preactivation') => [
      'run',
      name,
      '--budget',
      'quick',
      '--seeds',
      '0,1,2',
      '--out',
      file,
      '--data',
      data,
    ];
    const refused = await runInProcess(args(stale));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /stale\.json was trained with another definition of original-vs-preactivation at budget quick \(definition hash ffffffffffff…, now [0-9a-f]{12}…\)/,
    );
    expect(JSON.parse(readFileSync(stale, 'utf8')).runs).toHaveLength(4);
    const other = await runInProcess(args(out, 'shortcut-variants'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds original-vs-preactivation at budget quick, not shortcut-variants/);
    const broken = join(temp.dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...results, runs: [{ ...results.runs[0], seed: 'zero' }] }));
    const invalid = await runInProcess(args(broken));
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/invalid results file .*broken\.json: runs\.0\.seed: /);
  });
});
