import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds web/dist when stale, for the browser tests in test/e2e.
    globalSetup: ['test/support/announce-databases.ts', 'test/support/build-admin.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQL suites create their own schema per file, so files may run in parallel on 2 cores.
    maxWorkers: 2,
    // Each worker loads the app's modules once for all its files instead of once per file: loading
    // took 749 s of a 1,660 s run (summed over both workers); measured on 24 API files, a run went
    // from 176 s to 138 s. Files share no state through modules: each starts its own app, database
    // schema, mail and HTTP servers, and closes them; no file mocks a module.
    isolate: false,
    // Every run takes the files, and the tests within each file, in a random order: no test may
    // depend on another having run first. The seed is printed ('Running tests with seed …'); add
    // `--sequence.seed=<seed>` to repeat an order, or TEST_SHUFFLE=0 for the written order while
    // hunting a failure. `npm run test:shuffled` runs the suite several times with different seeds.
    // A describe whose tests are the steps of one story says so with `{ shuffle: false }`.
    // TEST_SEED fixes the seed: .ci/run derives it from the commit, so a commit's CI order is the
    // same on every run of that commit (a green check of a commit stays green), while each new
    // commit brings a new order.
    ...(process.env.TEST_SHUFFLE === '0'
      ? {}
      : {
          sequence: {
            shuffle: { files: true, tests: true },
            ...(process.env.TEST_SEED ? { seed: Number(process.env.TEST_SEED) } : {}),
          },
        }),
    // CI lists every test, so the log shows each SQL suite ran as `[sqlite]` and `[postgres]`.
    reporters: process.env.CI ? ['verbose'] : ['default'],
  },
});
