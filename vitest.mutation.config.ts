import { defineConfig } from 'vitest/config';

/**
 * The unit tests of the pure domain (`src/domain`), which Stryker runs against every mutant
 * (`npm run mutation`, stryker.config.json). No database, browser or admin build: none is needed,
 * and each mutant runs only the tests that cover it.
 */
export default defineConfig({
  test: {
    include: ['src/domain/**/*.test.ts'],
    // The statistics simulations (AUC coverage over 2,000 samples and the like) run for minutes
    // under Stryker's instrumentation on a loaded machine: at 30 s the initial run failed there.
    testTimeout: 300_000,
  },
});
