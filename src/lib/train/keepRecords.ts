import type { TrainRecord, TrainRun } from './types.ts';

/**
 * Passes a run's records on unchanged while appending each one to `records`, so that later cells can
 * read them. The result is still a run, with the run's `info`, so a cell that shows it gets the live
 * chart beside the lesson's reference; stopping it stops the run.
 */
export function keepRecords(run: TrainRun, records: TrainRecord[]): TrainRun {
  async function* pass() {
    for await (const record of run) {
      records.push(record);
      yield record;
    }
  }
  return Object.assign(pass(), { info: run.info });
}
