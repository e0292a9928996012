import { defineConfig } from 'vitest/config';

const shared = {
  pool: 'forks' as const,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Black-box suites start real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      // Pure functions, the storage contract, type detection: no database.
      { test: { ...shared, name: 'unit', include: ['src/**/*.test.ts'] } },
      // Everything that runs on a database: run again on PostgreSQL with DATABASE_URL set.
      { test: { ...shared, name: 'db', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
