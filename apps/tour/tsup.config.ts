import { defineConfig } from 'tsup';

export default defineConfig({
  // fork-job.js is the module the fork stop runs in child processes, found beside main.js.
  entry: ['src/main.ts', 'src/fork-job.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
});
