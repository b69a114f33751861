import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own database (a fresh PGlite, or a throwaway PostgreSQL database).
    pool: 'forks',
  },
});
