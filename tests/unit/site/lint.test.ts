// The architecture's layers, as lint enforces them (eslint.config.js): probes that break each rule.
import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../..', import.meta.url).pathname });
const problems = async (file: string, code: string) =>
  (await eslint.lintText(code, { filePath: file }))[0].messages.map((m) => m.ruleId);

describe('lint knows the layers', () => {
  test('src/lib imports nothing from the site and uses no DOM', async () => {
    expect(
      await problems(
        'src/lib/probe.ts',
        "import { NotebookScope } from '../cells/scope.ts';\nexport const x = NotebookScope;",
      ),
    ).toEqual(['no-restricted-imports']);
    expect(await problems('src/lib/probe.ts', 'export const title = document.title;')).toEqual([
      'no-restricted-globals',
    ]);
    expect(
      await problems(
        'src/lib/probe.ts',
        "import { buildVgg } from './models/vgg.ts';\nexport const b = buildVgg;",
      ),
    ).toEqual([]);
  });

  test('src/cells uses the library through its public entry (types and the tf-free budget aside)', async () => {
    expect(
      await problems(
        'src/cells/probe.ts',
        "import { buildVgg } from '../lib/models/vgg.ts';\nexport const b = buildVgg;",
      ),
    ).toEqual(['@typescript-eslint/no-restricted-imports']);
    expect(
      await problems(
        'src/cells/probe.ts',
        "import { buildVgg } from '../lib/index.ts';\nimport { BUDGETS } from '../lib/budget.ts';\nimport type { VggOptions } from '../lib/models/vgg.ts';\nexport const b: [unknown, unknown, VggOptions?] = [buildVgg, BUDGETS];",
      ),
    ).toEqual([]);
  });
});
