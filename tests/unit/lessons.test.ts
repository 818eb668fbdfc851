import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { extractCells, formatDiagnostic, typeCheckCells } from './cells/typecheck.ts';

// Every cell of every lesson parses and type-checks against the prelude's declarations
// (tf, Plot, the library, display with its helpers, dataUrl, signal, budget), with earlier cells' variables
// in scope.
const lessonsDir = resolve(import.meta.dirname, '../../content/lessons');
const fixtures = resolve(import.meta.dirname, 'cells/fixtures');

describe('lesson cells type-check', () => {
  for (const name of readdirSync(lessonsDir).filter((file) => file.endsWith('.mdx'))) {
    test(name, () => {
      const file = `content/lessons/${name}`;
      const cells = extractCells(readFileSync(join(lessonsDir, name), 'utf8'));
      expect(typeCheckCells(file, cells).map(formatDiagnostic)).toEqual([]);
    });
  }

  test('a lesson with a cell that does not compile fails, located by file, cell and line', () => {
    const file = 'tests/unit/cells/fixtures/broken-lesson.mdx';
    const cells = extractCells(readFileSync(join(fixtures, 'broken-lesson.mdx'), 'utf8'));
    expect(cells.map((cell) => cell.id)).toEqual(['fine', 'broken', 'cell-3']);
    const problems = typeCheckCells(file, cells).map(formatDiagnostic);
    expect(problems).toEqual([
      expect.stringMatching(
        /^tests\/unit\/cells\/fixtures\/broken-lesson\.mdx:16 \(cell broken, line 2\): TS2322: Type '.*' is not assignable to type 'string'/s,
      ),
      expect.stringMatching(/broken-lesson\.mdx:22 \(cell cell-3, line 1\): Unexpected token/),
    ]);
  });
});
