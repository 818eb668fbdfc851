import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { transpileCell } from '../../../src/cells/transpile.ts';

// Golden files for the cell compiler: golden/input/*.ts → golden/output/*.js. They change only on
// purpose: UPDATE_GOLDEN=1 npx vitest run tests/unit/cells/golden.test.ts rewrites them.
const root = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('transpileCell golden files', () => {
  for (const file of readdirSync(join(root, 'input')).filter((name) => name.endsWith('.ts'))) {
    test(file, () => {
      const source = readFileSync(join(root, 'input', file), 'utf8');
      // The names the runtime provides, as a lesson page has them (the rest are notebook variables).
      const provided = new Set(['tf', 'budget', 'train', 'display', 'signal', 'loadData']);
      const compiled = transpileCell(source, { name: file.replace(/\.ts$/, ''), provided });
      const actual = [
        `// inputs: ${compiled.inputs.join(', ')}`,
        `// declarations: ${compiled.declarations.join(', ')}`,
        `// assigned: ${compiled.assigned.join(', ')}`,
        compiled.code,
        '',
      ].join('\n');
      const expectedPath = join(root, 'output', file.replace(/\.ts$/, '.js'));
      if (update) writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
      // Every line of the cell stays on its line (shifted by the one-line header).
      const lines = compiled.code.split('\n');
      source.split('\n').forEach((line, i) => {
        if (line.trim().length > 3 && lines.includes(line)) expect(lines.indexOf(line), line).toBe(i + 1);
      });
    });
  }
});
