import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: the built CLI against a real control plane (test/e2e/cluster), real helm 3 and 4,
 * a fake GitLab per test, and tmux for the TUI. One cluster for the whole run, brought up and always
 * torn down by the global setup. Run with `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    // 2 cores and one cluster: one file at a time, tests inside a file in order.
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ['test/e2e/support/global-setup.ts'],
    // An install takes 3–10 s here; these bound the slow paths (readiness and connection waits).
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    // A failed e2e run must be looked at, not retried into green.
    retry: 0,
  },
});
