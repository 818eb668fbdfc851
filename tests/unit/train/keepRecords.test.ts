import { describe, expect, test } from 'vitest';
import { keepRecords } from '../../../src/lib/train/keepRecords.ts';
import type { TrainRecord, TrainRun } from '../../../src/lib/train/types.ts';

const fakeRun = (count: number, finished: string[]): TrainRun => {
  async function* records() {
    try {
      for (let step = 1; step <= count; step++) yield { kind: 'step', step } as unknown as TrainRecord;
    } finally {
      finished.push('closed');
    }
  }
  return Object.assign(records(), {
    info: { model: 'm', variants: ['a', 'b'], seed: 0, options: { batchSize: 16 } },
  });
};

describe('keepRecords', () => {
  test('passes every record on, keeps each, and keeps the run’s info', async () => {
    const kept: TrainRecord[] = [];
    const run = keepRecords(fakeRun(3, []), kept);
    expect(run.info.variants).toEqual(['a', 'b']);
    const seen: unknown[] = [];
    for await (const record of run) seen.push(record);
    expect(seen).toHaveLength(3);
    expect(kept).toEqual(seen);
  });

  test('stopping the kept run stops the run it wraps', async () => {
    const finished: string[] = [];
    const kept: TrainRecord[] = [];
    for await (const _record of keepRecords(fakeRun(100, finished), kept)) break;
    expect(kept).toHaveLength(1);
    expect(finished).toEqual(['closed']);
  });
});
