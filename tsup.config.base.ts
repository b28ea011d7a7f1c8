import { defineConfig } from 'tsup';

/** The build every package shares: one ESM entry with its declarations, for Node 20+. */
export const packageConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});
