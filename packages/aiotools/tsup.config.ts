import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.js';

// One entry per subpath. Every @aiotools package is a dependency, so tsup keeps it external:
// each dist file only re-exports, and all of them share the packages' own classes and state.
export default defineConfig({
  ...packageConfig,
  entry: [
    'src/index.ts',
    'src/core.ts',
    'src/cancel.ts',
    'src/scope.ts',
    'src/sync.ts',
    'src/context.ts',
    'src/func.ts',
    'src/iter.ts',
    'src/timer.ts',
    'src/vclock.ts',
    'src/fork.ts',
    'src/server.ts',
  ],
});
