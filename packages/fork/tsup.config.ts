import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.js';

// Besides the API, two programs the package starts by path: the child's bootstrap (afork) and
// the worker's loop (createExecutor). They are not in "exports": users never import them.
export default defineConfig({
  ...packageConfig,
  entry: ['src/index.ts', 'src/child-main.ts', 'src/worker-main.ts'],
});
