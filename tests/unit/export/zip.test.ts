// The store-only ZIP writer against Python's zipfile (the oracle): it tests the archive, extracts it, and
// the extracted bytes must be the files given.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, zipFiles } from '../../../src/lib/export/zip.ts';

const root = mkdtempSync(join(tmpdir(), 'reslab-zip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const python = (...args: string[]) =>
  execFileSync('/usr/bin/python3', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const binary = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
const files = [
  { path: 'model.py', content: 'print("hello")\n' },
  { path: 'README.md', content: '# Résumé — 残差\n' },
  { path: 'empty.txt', content: '' },
  { path: 'checkpoints/weights.safetensors', content: binary },
];

describe('zipFiles', () => {
  it('writes an archive Python extracts to the same bytes, under the folder', () => {
    const zip = zipFiles(files, 'resnet18-pytorch');
    writeFileSync(join(root, 'export.zip'), zip);
    expect(python('-m', 'zipfile', '-t', 'export.zip')).toContain('Done testing');
    python('-m', 'zipfile', '-e', 'export.zip', 'out');
    expect(readdirSync(join(root, 'out'))).toEqual(['resnet18-pytorch']);
    for (const file of files) {
      const extracted = readFileSync(join(root, 'out', 'resnet18-pytorch', file.path));
      const expected =
        typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
      expect(extracted.equals(expected), file.path).toBe(true);
    }
  });

  it('stores names as UTF-8, in the given order, uncompressed, dated 1980-01-01', () => {
    writeFileSync(join(root, 'names.zip'), zipFiles(files, 'exp'));
    const script = [
      'import json, zipfile',
      'z = zipfile.ZipFile("names.zip")',
      'print(json.dumps([[i.filename, i.compress_type, list(i.date_time), i.flag_bits & 0x800, i.file_size] for i in z.infolist()]))',
    ].join('\n');
    const entries = JSON.parse(python('-c', script)) as unknown[];
    const sizes = [15, Buffer.byteLength('# Résumé — 残差\n'), 0, binary.length];
    expect(entries).toEqual(
      files.map((f, i) => [`exp/${f.path}`, 0, [1980, 1, 1, 0, 0, 0], 0x800, sizes[i]]),
    );
  });

  it('is deterministic: the same files give the same bytes', () => {
    expect(Buffer.from(zipFiles(files, 'a')).equals(Buffer.from(zipFiles(files, 'a')))).toBe(true);
  });

  it('an empty list is an empty archive', () => {
    writeFileSync(join(root, 'empty.zip'), zipFiles([], 'nothing'));
    expect(python('-c', 'import zipfile; print(zipfile.ZipFile("empty.zip").namelist())').trim()).toBe('[]');
  });

  it('rejects paths that would leave the folder, and duplicates', () => {
    for (const path of ['../x.py', '/etc/passwd', 'a//b', 'a\\b', './a', ''])
      expect(() => zipFiles([{ path, content: '' }], 'f'), path).toThrow(/^invalid zip path: /);
    expect(() => zipFiles([], '..')).toThrow(/^invalid zip folder: "\.\."/);
    expect(() =>
      zipFiles(
        [
          { path: 'a.py', content: '' },
          { path: 'a.py', content: 'x' },
        ],
        'f',
      ),
    ).toThrow('invalid zip path: "a.py" (given twice)');
  });
});

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(binary)).toBe(
      Number(python('-c', `import zlib; print(zlib.crc32(bytes((i * 7919) % 256 for i in range(70000))))`)),
    );
    expect(crc32(new Uint8Array())).toBe(0);
  });
});
