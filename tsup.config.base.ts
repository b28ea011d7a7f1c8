import { defineConfig } from 'tsup';

/** The build every package shares: one ESM entry with its declarations, for Node 20+. */
export const packageConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  // No keepNames: it wraps every named closure in a call that redefines its `name`, a cost on
  // every wait. Instead no class names itself in its own body (esbuild would turn it into
  // `var X = class _X`, and `X.name` would be `'_X'`); e2e/src/class-names.test.ts checks the
  // names in dist/.
  dts: {
    // The declarations use Node's globals (AbortSignal, NodeJS.Signals, setImmediate); the
    // reference loads @types/node (a peer dependency) for a consumer whose tsconfig lists no
    // `types`.
    banner: '/// <reference types="node" />',
  },
  sourcemap: true,
  clean: true,
});

/**
 * The build of a demo app under apps/: its entries (main.ts and any script it starts in a child
 * process, found beside main.js) as ESM for Node 20+, with source maps for readable traces.
 */
export function appConfig(entry: string[]) {
  return defineConfig({ entry, format: ['esm'], target: 'node20', sourcemap: true, clean: true });
}
