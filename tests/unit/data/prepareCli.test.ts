import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBIAN_FASHION_MNIST_DIR, runDataCommand } from '../../../src/cli/data.ts';
import { decodeShard, parseManifest, sha256Hex } from '../../../src/lib/data/shards.ts';

const source = process.env.RESLAB_FASHION_MNIST_DIR ?? DEBIAN_FASHION_MNIST_DIR;
const out = mkdtempSync(join(tmpdir(), 'reslab-data-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function capture() {
  const lines: string[] = [];
  return { lines, effects: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) } };
}

describe('reslab data prepare', () => {
  it('writes the lesson subset and a manifest whose checksums match, from the Debian IDX files', async () => {
    const { lines, effects } = capture();
    expect(await runDataCommand(['prepare', '--source', source, '--out', out], effects)).toBe(0);
    const manifest = parseManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    const lesson = manifest.subsets.lesson;
    expect([lesson.train.count, lesson.test.count]).toEqual([10_000, 2000]);
    expect(lesson.train.classCounts).toEqual(new Array(10).fill(1000));
    expect(lesson.test.classCounts).toEqual(new Array(10).fill(200));
    expect(manifest.classNames[9]).toBe('Ankle boot');
    for (const shard of [...lesson.train.shards, ...lesson.test.shards]) {
      const stored = readFileSync(join(out, shard.file));
      expect(stored.length).toBe(shard.bytes);
      const payload = gunzipSync(stored);
      expect(await sha256Hex(payload)).toBe(shard.sha256);
      const set = decodeShard(payload, shard.count, manifest.imageShape);
      expect(Math.max(...set.labels)).toBe(9);
    }
    expect(lines.join('\n')).toMatch(/lesson: 10000 train \+ 2000 test images, 2 shards/);
  });

  it('skips with --if-missing when everything is there, and redoes it when a shard is gone', async () => {
    const mtime = statSync(join(out, 'manifest.json')).mtimeMs;
    const { lines, effects } = capture();
    expect(await runDataCommand(['prepare', '--out', out, '--if-missing'], effects)).toBe(0);
    expect(lines[0]).toMatch(/already in .*nothing to do/);
    expect(statSync(join(out, 'manifest.json')).mtimeMs).toBe(mtime);

    rmSync(join(out, 'lesson-test-0.bin.gz'));
    const second = capture();
    expect(
      await runDataCommand(['prepare', '--out', out, '--if-missing', '--source', source], second.effects),
    ).toBe(0);
    expect(second.lines.join('\n')).toMatch(/Wrote Fashion-MNIST/);
    expect(readdirSync(out).sort()).toEqual([
      'lesson-test-0.bin.gz',
      'lesson-train-0.bin.gz',
      'manifest.json',
    ]);
  });

  it('falls back to a download and says clearly when it fails', async () => {
    const { lines, effects } = capture();
    const offline = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
    }) as typeof fetch;
    const code = await runDataCommand(['prepare', '--out', join(out, 'x')], {
      ...effects,
      env: {},
      systemDirs: [],
      fetch: offline,
    });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(
      /no local Fashion-MNIST found and the download of http:.*failed \(getaddrinfo ENOTFOUND\)\. Install the Debian package dataset-fashion-mnist/,
    );
  });

  it('rejects bad usage', async () => {
    const { lines, effects } = capture();
    expect(await runDataCommand(['prepare', '--sauce', 'x'], effects)).toBe(2);
    expect(lines[0]).toMatch(/invalid option: .*--sauce/);
    expect(await runDataCommand(['fetch'], effects)).toBe(2);
    expect(lines[1]).toMatch(/invalid data command: "fetch" \(expected prepare\)/);
    expect(await runDataCommand(['prepare', '--source', out, '--out', join(out, 'y')], effects)).toBe(1);
    expect(lines[2]).toMatch(/invalid --source: .*missing train-images-idx3-ubyte/);
  });
});
