import { defineConfig } from 'vitest/config';

// Two projects: the unit tests beside the sources resolve `@aiotools/*` to the TypeScript
// sources (the `@aiotools/source` export condition); the tests under e2e/ resolve it the way
// users do, to the built dist/ files, so they see what the build produces.
const source = {
  resolve: { conditions: ['@aiotools/source'] },
  ssr: {
    resolve: {
      conditions: ['@aiotools/source'],
      externalConditions: ['@aiotools/source'],
    },
  },
};

export default defineConfig({
  test: {
    setupFiles: ['./tools/testing/src/setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: process.env.CI ? ['dot'] : ['default'],
    projects: [
      {
        extends: true,
        ...source,
        test: {
          name: 'src',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'built', include: ['e2e/src/**/*.test.ts'] },
      },
    ],
  },
});
