import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/component/**/*.test.tsx', 'test/integration/**/*.test.ts', 'test/fake-gitlab/**/*.test.ts'],
    environment: 'node',
    // Ink and child processes behave best in separate processes, not worker threads.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
