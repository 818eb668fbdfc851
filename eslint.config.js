// ESLint: typescript-eslint's recommended rules, and the architecture's layers as import rules
// (../shared/DESIGN.md): lessons → components/cells → lib → TF.js.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** What no file of the pure library may import: the site's layers above it. */
const siteLayers = {
  group: ['**/cells/**', '**/components/**', '**/pages/**', '**/layouts/**', '**/markdown/**', 'astro:*'],
  message: 'src/lib is the pure library (Node and browser): it imports nothing from the site above it.',
};

/** The DOM: src/lib runs in Node too. */
const domGlobals = [
  'document',
  'window',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'customElements',
].map((name) => ({ name, message: 'src/lib is DOM-free (it runs in Node); the site passes what it needs.' }));

export default defineConfig(
  // Golden files are cell code and its compiled form, not modules.
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      'test-results/',
      '.astro/',
      'scratch/',
      'tests/unit/cells/golden/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // Config files and scripts run in Node.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a value left out on purpose (a destructured field, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [siteLayers] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // The page's cells use the library through its public entry, src/lib/index.ts, and two tf-free
    // modules the page needs before TF.js loads (the budget, backend names and formatters). Types may come from anywhere.
    files: ['src/cells/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)lib/(?!index\\.ts$|budget\\.ts$|backendNames\\.ts$|format\\.ts$)',
              allowTypeImports: true,
              message:
                'Use the library through src/lib/index.ts (or the tf-free budget.ts, backendNames.ts and format.ts before TF.js loads).',
            },
          ],
        },
      ],
    },
  },
);
