import { describe, expect, test } from 'vitest';
import type { CellState } from '../../../src/cells/notebook.ts';
import { Scheduler } from '../../../src/cells/scheduler.ts';

// Each fake cell's "source" is `inputs -> outputs`, e.g. "x -> y".
const analyse = (_id: string, source: string) => {
  const [inputs, outputs] = source.split('->').map((part) =>
    part
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  return { inputs, outputs };
};

function setup(sources: Record<string, string>, fail: Set<string> = new Set()) {
  const ran: string[] = [];
  const states: [string, CellState][] = [];
  const skipped: string[] = [];
  const cancelled: string[] = [];
  let release: (() => void) | null = null;
  const scheduler = new Scheduler(
    Object.entries(sources).map(([id, source]) => ({ id, source })),
    {
      analyse,
      async execute(id, signal) {
        ran.push(id);
        if (id === 'slow') {
          await new Promise<void>((resolve) => {
            release = resolve;
            signal.addEventListener('abort', () => resolve());
          });
          return !signal.aborted;
        }
        return !fail.has(id);
      },
      skip: (id, failed) => skipped.push(`${id}<-${failed}`),
      cancel: (id) => cancelled.push(id),
      change: (id, state) => states.push([id, state]),
    },
  );
  const state = (id: string) => scheduler.state(scheduler.cells.findIndex((c) => c.id === id));
  return { scheduler, ran, states, skipped, cancelled, state, release: () => release?.() };
}

describe('Scheduler', () => {
  test('running a cell runs its dependencies first, then marks everything done', async () => {
    const { scheduler, ran, state } = setup({ a: '-> x', b: '-> z', c: 'x -> y', d: 'y ->' });
    await scheduler.run('d');
    expect(ran).toEqual(['a', 'c', 'd']);
    expect(['a', 'b', 'c', 'd'].map(state)).toEqual(['done', 'idle', 'done', 'done']);
    await scheduler.run('d');
    expect(ran).toEqual(['a', 'c', 'd', 'd']);
  });

  test('states go queued → running → done, observable through change()', async () => {
    const { scheduler, states } = setup({ a: '-> x', b: 'x ->' });
    await scheduler.run('b');
    expect(states).toEqual([
      ['a', 'queued'],
      ['b', 'queued'],
      ['a', 'running'],
      ['a', 'done'],
      ['b', 'running'],
      ['b', 'done'],
    ]);
  });

  test('editing a cell marks it and its dependents stale; running again refreshes them', async () => {
    const { scheduler, ran, state } = setup({ a: '-> x', b: 'x -> y', c: 'y ->', d: '->' });
    await scheduler.runAll();
    scheduler.edit('a', '-> x');
    expect(['a', 'b', 'c', 'd'].map(state)).toEqual(['stale', 'stale', 'stale', 'done']);
    ran.length = 0;
    await scheduler.run('c');
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(['a', 'b', 'c'].map(state)).toEqual(['done', 'done', 'done']);
  });

  test('re-running a cell marks its dependents stale', async () => {
    const { scheduler, state } = setup({ a: '-> x', b: 'x ->' });
    await scheduler.runAll();
    await scheduler.run('a');
    expect(state('b')).toBe('stale');
  });

  test('a failing dependency skips the target; Run all stops at the first failure', async () => {
    const { scheduler, ran, skipped, state } = setup({ a: '-> x', b: 'x ->', c: '->' }, new Set(['a']));
    await scheduler.run('b');
    expect(ran).toEqual(['a']);
    expect(skipped).toEqual(['b<-a']);
    expect(state('b')).toBe('error');
    ran.length = 0;
    await scheduler.runAll();
    expect(ran).toEqual(['a']);
    expect(state('c')).toBe('idle');
  });

  test('Stop aborts the running cell and forgets the queue', async () => {
    const { scheduler, ran, state, cancelled } = setup({ slow: '-> x', after: 'x ->', other: '->' });
    const all = scheduler.runAll();
    await Promise.resolve();
    expect(state('slow')).toBe('running');
    expect(state('other')).toBe('queued');
    scheduler.stop();
    await all;
    expect(ran).toEqual(['slow']);
    // Stopped is not failed; the queued cells were cancelled and say so.
    expect(['slow', 'after', 'other'].map(state)).toEqual(['stopped', 'idle', 'idle']);
    expect(cancelled).toEqual(['after', 'other']);
    expect(scheduler.isBusy).toBe(false);
  });

  test('during Run all a cell that has finished stays done, not queued again', async () => {
    // c needs a too, so Run all planned a into c's request before a ran.
    const { scheduler, state, release } = setup({ a: '-> x', slow: 'x ->', c: 'x ->' });
    const all = scheduler.runAll();
    for (let i = 0; i < 5 && state('slow') !== 'running'; i++) await Promise.resolve();
    expect([state('a'), state('slow'), state('c')]).toEqual(['done', 'running', 'queued']);
    release();
    await all;
    expect(['a', 'slow', 'c'].map(state)).toEqual(['done', 'done', 'done']);
  });

  test('Restart waits for the running cell and sets every cell back to idle', async () => {
    const { scheduler, state } = setup({ a: '-> x', slow: '->' });
    await scheduler.run('a');
    void scheduler.run('slow');
    await Promise.resolve();
    await scheduler.restart();
    expect(['a', 'slow'].map(state)).toEqual(['idle', 'idle']);
  });

  test('a run requested while another runs waits its turn', async () => {
    const { scheduler, ran, release } = setup({ slow: '->', b: '->' });
    const first = scheduler.run('slow');
    const second = scheduler.run('b');
    await Promise.resolve();
    expect(ran).toEqual(['slow']);
    release();
    await Promise.all([first, second]);
    expect(ran).toEqual(['slow', 'b']);
  });
});
