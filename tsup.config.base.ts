import { defineConfig } from 'tsup';

/** The build every package shares: one ESM entry with its declarations, for Node 20+. */
export const packageConfig = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  // When bundling, esbuild turns every top-level `class X` into `var X = class _X`: a class
  // body that refers to its own name (`static [Symbol.hasInstance]` comparing with `X`,
  // `new.target === X`) keeps an inner binding, renamed so it cannot collide, and that inner
  // name is what `X.name` returns. `this.constructor.name` and `new.target.name` end up in
  // messages and in `err.name`, so the build must not change them: keepNames restores each
  // function's and class's own name (checked against dist/ in e2e/src/class-names.test.ts).
  keepNames: true,
  dts: {
    // The declarations use Node's globals (AbortSignal, NodeJS.Signals, setImmediate); the
    // reference loads @types/node (a peer dependency) for a consumer whose tsconfig lists no
    // `types`.
    banner: '/// <reference types="node" />',
  },
  sourcemap: true,
  clean: true,
});
