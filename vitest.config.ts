import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // TF.js keeps global state (backend, tensor registry); one fork per file keeps tests independent.
    pool: 'forks',
  },
});
