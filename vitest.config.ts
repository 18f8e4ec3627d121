import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds web/dist when stale, for the browser tests in test/e2e.
    globalSetup: ['test/support/build-admin.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQL suites create their own schema per file, so files may run in parallel on 2 cores.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
