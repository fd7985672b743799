import { defineConfig } from 'vitest/config';

// One vitest run over every package's test/ folder; packages are consumed as built (dist),
// because worker threads load the built JavaScript too.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './scripts/plain-summary-reporter.js'],
  },
});
