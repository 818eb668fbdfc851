import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { runDataCommand } from '../../../src/cli/data.ts';
import type { ExperimentRun } from '../../../src/lib/experiments/resultsFile.ts';

/** The repository root (the CLI runs from there, as `npx reslab` does). */
export const root = resolve(import.meta.dirname, '../../..');
const NODE = join(root, 'node_modules/.bin/node');
const CLI = join(root, 'src/cli/reslab.ts');

/** Makes a temporary folder; returns it and how to remove it. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes the Fashion-MNIST shards (`reslab data prepare`, from the Debian package or
 * $RESLAB_FASHION_MNIST_DIR) into a folder, so the tests do not depend on `public/data`.
 */
export async function prepareData(dir: string, full = false): Promise<void> {
  const lines: string[] = [];
  const code = await runDataCommand(['prepare', '--out', dir, ...(full ? ['--full'] : [])], {
    log: (line) => lines.push(line),
    error: (line) => lines.push(line),
  });
  if (code !== 0) throw new Error(`reslab data prepare failed:\n${lines.join('\n')}`);
}

/** Runs `reslab <args>` in a child process and waits for it. */
export function reslab(...args: string[]) {
  const result = spawnSync(NODE, [CLI, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `reslab <args>` in a child process, for tests that signal it. */
export function startReslab(...args: string[]) {
  return spawn(NODE, [CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

const provenance = (wallTimeMs: number): ExperimentRun['provenance'] => ({
  library: { version: '0.1.0', commit: 'abc123', dirty: false },
  backend: { name: 'wasm', simd: true, threads: 1 },
  cpu: { model: 'test', cores: 2 },
  runtime: 'node v24',
  date: '2026-12-03T00:00:00.000Z',
  wallTimeMs,
});

/** A made-up finished run for tests: test error `errors` per epoch, step curve (and epoch training loss) `loss`. */
export function fakeRun(
  variant: string,
  seed: number,
  errors: number[],
  loss: number[],
  status: ExperimentRun['status'] = 'completed',
): ExperimentRun {
  const last = errors.at(-1)!;
  return {
    variant,
    seed,
    model: variant,
    status,
    epochs: errors.map((testError, i) => ({
      epoch: i + 1,
      step: (i + 1) * 156,
      trainLoss: loss[i] ?? 1,
      trainAccuracy: 0.5,
      testLoss: 1,
      testError,
      elapsedMs: 1000,
    })),
    curve: { every: 10, loss, accuracy: loss.map(() => 0.5) },
    final: { trainLoss: 1, trainAccuracy: 0.5, testLoss: 1, testError: last },
    provenance: provenance(60_000),
  };
}
