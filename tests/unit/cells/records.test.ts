import { expect, test } from 'vitest';
import { isRecordList } from '../../../src/cells/display/records.ts';

test('lists of flat records are shown as tables; anything else is left to the inspector', () => {
  expect(
    isRecordList([
      { variant: 'identity', error: 6.61 },
      { variant: 'dropout', error: null },
    ]),
  ).toBe(true);
  expect(isRecordList([])).toBe(false);
  expect(isRecordList([{ nested: { a: 1 } }])).toBe(false);
  expect(isRecordList([1, 2, 3])).toBe(false);
  expect(isRecordList([new Date()])).toBe(false);
  expect(isRecordList(Array.from({ length: 501 }, () => ({ a: 1 })))).toBe(false);
});
