import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  deepResidualTable6,
  findPaperFigures,
  identityMappingsTable1,
  identityMappingsTable2,
  identityMappingsTable2Resnet164,
  identityMappingsTable3,
} from '../../../src/lib/paperNumbers.ts';

// The verified reference lives outside the repository in CI's checkout layout (../shared); when it is
// there, every figure we quote must appear in it, so a typo in a lesson's table cannot slip through.
const referencePath = resolve(import.meta.dirname, '../../../../shared/reference/PAPER_NUMBERS.md');
let reference: string | undefined;
try {
  reference = readFileSync(referencePath, 'utf8');
} catch {
  reference = undefined;
}

const tables = [
  identityMappingsTable1,
  identityMappingsTable2,
  identityMappingsTable2Resnet164,
  identityMappingsTable3,
  deepResidualTable6,
];

test.skipIf(!reference)('every quoted figure appears in the verified reference', () => {
  for (const table of tables) {
    for (const figure of table.figures) {
      if (figure.error === null) continue;
      const text = figure.error.toFixed(2);
      expect(reference, `${table.table} ${figure.label}`).toContain(text);
    }
  }
});

test('the tables hold the headline figures the lessons quote', () => {
  expect(findPaperFigures(identityMappingsTable1, 'identity')[0].error).toBe(6.61);
  expect(findPaperFigures(identityMappingsTable1, 'dropout')[0].error).toBeNull();
  expect(findPaperFigures(identityMappingsTable2, 'fullPreactivation')[0].error).toBe(6.37);
  expect(findPaperFigures(identityMappingsTable3, 'resnet1001-preact')[0].error).toBe(4.92);
  expect(findPaperFigures(identityMappingsTable1, 'shortcutOnlyGating')).toHaveLength(2);
});
