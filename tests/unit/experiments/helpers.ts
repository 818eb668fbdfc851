import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { runDataCommand } from '../../../src/cli/data.ts';

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
