import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportedFile } from '../../../src/lib/export/package.ts';

/** Debian's Python, which has python3-torch (`npm run setup` installs it). */
export const PYTHON = '/usr/bin/python3';

/** Runs Python with torch; throws with its stderr on failure, or says how to install torch when it is missing. */
export function runPython(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
) {
  const result = spawnSync(PYTHON, args, {
    cwd: options.cwd,
    env: { ...process.env, OMP_NUM_THREADS: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
  });
  if (result.error) throw result.error;
  if (/No module named 'torch'/.test(result.stderr)) {
    throw new Error(`${PYTHON} has no torch: install Debian's python3-torch (npm run setup does)`);
  }
  return result;
}

/** Runs a Python script (its lines) that prints one JSON value, and returns that value; its stderr must be empty. */
export function runPythonJson(lines: string[]): unknown {
  const result = runPython(['-c', lines.join('\n')]);
  if (result.status !== 0 || result.stderr !== '') throw new Error(`python failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Writes an exported package's files into a folder. */
export function writePackage(dir: string, files: readonly ExportedFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.path), file.content);
}

/** The files of every exported package, sorted; a model exported with its weights adds weights.safetensors. */
export const PACKAGE_FILES = [
  'README.md',
  'blocks.py',
  'experiment.json',
  'model.py',
  'train.py',
  'weights.py',
];
/** The files of a package exported with weights, sorted. */
export const PACKAGE_FILES_WITH_WEIGHTS = [...PACKAGE_FILES, 'weights.safetensors'];
