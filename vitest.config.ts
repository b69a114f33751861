import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**'],
    // Generous: tests wait for conditions, and a loaded 2-core CI machine runs several
    // files at once (tests/helpers/wait-for.ts scales its caps with TEST_SLOWDOWN too).
    testTimeout: 150_000 * (Number(process.env.TEST_SLOWDOWN ?? 1) || 1),
    hookTimeout: 180_000 * (Number(process.env.TEST_SLOWDOWN ?? 1) || 1),
    // Each file opens its own database (a fresh PGlite, or a throwaway PostgreSQL database).
    pool: 'forks',
  },
});
