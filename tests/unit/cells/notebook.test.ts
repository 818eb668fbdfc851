import { describe, expect, test } from 'vitest';
import { findDependents, findStale, planRun, type NotebookCell } from '../../../src/cells/notebook.ts';

const cell = (
  id: string,
  inputs: string[],
  outputs: string[],
  status: NotebookCell['status'] = 'idle',
): NotebookCell => ({
  id,
  inputs,
  outputs,
  status,
});

describe('planRun', () => {
  const cells = [
    cell('data', ['loadData'], ['data']),
    cell('model', ['buildVgg'], ['model']),
    cell('unrelated', [], ['other']),
    cell('train', ['train', 'model', 'data'], ['run']),
  ];

  test('runs the earlier cells that define the inputs first, in page order', () => {
    expect(planRun(cells, 3)).toEqual([0, 1, 3]);
  });

  test('skips dependencies that are done but re-runs stale and failed ones', () => {
    const statuses: NotebookCell[] = cells.map((c, i) => ({
      ...c,
      status: (['done', 'stale', 'idle', 'idle'] as const)[i],
    }));
    expect(planRun(statuses, 3)).toEqual([1, 3]);
    statuses[0].status = 'error';
    expect(planRun(statuses, 3)).toEqual([0, 1, 3]);
  });

  test('follows dependencies transitively and uses the nearest earlier definition', () => {
    const chain = [
      cell('a', [], ['x']),
      cell('b', ['x'], ['y']),
      cell('c', [], ['x']),
      cell('d', ['y', 'x'], []),
    ];
    expect(planRun(chain, 3)).toEqual([0, 1, 2, 3]);
    chain[2].status = 'done';
    expect(planRun(chain, 3)).toEqual([0, 1, 3]);
  });

  test('a name defined only by a later cell is not a dependency', () => {
    expect(planRun([cell('use', ['later'], []), cell('def', [], ['later'])], 0)).toEqual([0]);
  });
});

describe('stale propagation', () => {
  test('dependents are found transitively through the names they define', () => {
    const cells = [cell('a', [], ['x']), cell('b', ['x'], ['y']), cell('c', ['z'], []), cell('d', ['y'], [])];
    expect(findDependents(cells, 0, ['x'])).toEqual([1, 3]);
  });

  test('editing marks the cell and its dependents that have run stale, not cells that never ran', () => {
    const cells = [
      cell('a', [], ['x'], 'done'),
      cell('b', ['x'], ['y'], 'done'),
      cell('c', ['y'], [], 'idle'),
      cell('d', ['y'], [], 'error'),
    ];
    expect(findStale(cells, 0, { edited: true })).toEqual([0, 1, 3]);
    expect(findStale(cells, 0, { edited: false })).toEqual([1, 3]);
  });

  test('renaming a variable invalidates the readers of the old name', () => {
    const cells = [cell('a', [], ['renamed'], 'done'), cell('b', ['old'], [], 'done')];
    expect(findStale(cells, 0, { edited: true, previousOutputs: ['old'] })).toEqual([0, 1]);
  });
});
