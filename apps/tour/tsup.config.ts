import { defineConfig } from 'tsup';

export default defineConfig({
  // fork-job.js and server-app.js are the scripts the fork and server stops run in child
  // processes, found beside main.js.
  entry: ['src/main.ts', 'src/fork-job.ts', 'src/server-app.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
});
