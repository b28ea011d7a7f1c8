import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['@aiotools/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@aiotools/source'],
      externalConditions: ['@aiotools/source'],
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
    setupFiles: ['./scripts/vitest-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: process.env.CI ? ['dot'] : ['default'],
  },
});
