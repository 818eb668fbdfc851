// The library's version as provenance records it (results files, PyTorch exports, the site's build):
// package version, git commit, and whether the checkout had uncommitted changes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunProvenance } from '../lib/experiments/resultsFile.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** Reads the library's package version, git commit, and whether the checkout has uncommitted changes. */
export function readLibraryVersion(): RunProvenance['library'] {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  // Results files being written are not a change to the code that trains them.
  const changes = git([
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    '.',
    ':(exclude)content/results',
  ]);
  return {
    version,
    commit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    dirty: changes === null || changes !== '',
  };
}
