import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../../src/lib/train/compare.ts';
import type { StepRecord } from '../../../src/lib/train/types.ts';
import { buildMlp, buildTinyConvNet, collect, quadrantImages } from './fixtures.ts';

beforeAll(() => tf.setBackend('cpu'));

const data = { train: quadrantImages(128), test: quadrantImages(32, 2) };

describe('compare', () => {
  it('feeds every variant the same batches in the same order, built with the same seed', async () => {
    const seen: Record<string, string[]> = { a: [], b: [] };
    const seeds: number[] = [];
    let current = '';
    const build = (name: string) => (seed: number) => {
      current = name;
      seeds.push(seed);
      return name === 'a' ? buildTinyConvNet(seed) : buildMlp(seed, 8, 8, 4);
    };
    const records = await collect(
      compare(
        [
          { name: 'a', build: build('a') },
          { name: 'b', build: build('b') },
        ],
        data,
        {
          epochs: 2,
          batchSize: 16,
          seed: 9,
          augment: { flip: true },
          onBatch: ({ indices }) => seen[current].push(Array.from(indices).join(',')),
        },
      ),
    );
    expect(seen.a).toHaveLength(16);
    expect(seen.b).toEqual(seen.a);
    expect(seeds).toEqual([9, 9]);
    expect(records.filter((r) => r.kind === 'done').map((r) => r.variant)).toEqual(['a', 'b']);
    expect(records.every((r) => r.variant === 'a' || r.variant === 'b')).toBe(true);
  });

  it('gives identical curves to identical variants (same data, augmentation and seeds)', async () => {
    const records = await collect(
      compare(
        [
          { name: 'x', build: (s) => buildTinyConvNet(s) },
          { name: 'y', build: (s) => buildTinyConvNet(s) },
        ],
        data,
        { epochs: 1, batchSize: 16, logEvery: 2, augment: { flip: true, cropPadding: 1 } },
      ),
    );
    const losses = (v: string) =>
      records.filter((r): r is StepRecord => r.kind === 'step' && r.variant === v).map((r) => r.loss);
    expect(losses('x')).toHaveLength(4);
    expect(losses('y')).toEqual(losses('x'));
  });

  it('hands trained models over, disposes the rest, and stops everything on abort', async () => {
    const before = tf.memory().numTensors;
    const kept: tf.LayersModel[] = [];
    await collect(
      compare([{ name: 'm', build: (s) => buildTinyConvNet(s) }], data, {
        batchSize: 16,
        onTrained: (_, m) => kept.push(m),
      }),
    );
    expect(kept).toHaveLength(1);
    kept[0].dispose();
    expect(tf.memory().numTensors).toBe(before);

    const controller = new AbortController();
    const variants = ['p', 'q'].map((name) => ({ name, build: (s: number) => buildTinyConvNet(s) }));
    const records = [];
    for await (const r of compare(variants, data, {
      batchSize: 16,
      logEvery: 1,
      signal: controller.signal,
    })) {
      records.push(r);
      controller.abort();
    }
    expect(records.map((r) => [r.kind, r.variant])).toEqual([
      ['step', 'p'],
      ['done', 'p'],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    await expect(collect(compare([...variants, variants[0]], data))).rejects.toThrow(
      'invalid variants: name "p" twice (expected unique names)',
    );
  });
});
