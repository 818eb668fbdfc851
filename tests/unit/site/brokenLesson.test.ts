import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

// Builds a copy of the site with one broken lesson: the build must stop and say which file and field.
test('a lesson with broken frontmatter fails the build with the file and the field named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reslab-broken-'));
  try {
    for (const entry of ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'content', 'public']) {
      cpSync(join(root, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(
      join(dir, 'content/lessons/98-broken.mdx'),
      '---\ntitle: Broken\norder: two\nsummary: A summary that is long enough.\nminutes: 5\n---\n\nText.\n',
    );
    const build = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    const output = build.stdout + build.stderr;
    expect(build.status, output).not.toBe(0);
    expect(output).toContain('98-broken data does not match collection schema');
    expect(output).toMatch(/order.*Expected type `"number"`, received `"string"`/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
