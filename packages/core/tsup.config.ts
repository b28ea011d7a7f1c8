import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.config.base.js';

// Two entries, `.` and `./internal`; code they share goes to a common chunk, so both see one
// copy of every class and of the shared state.
export default defineConfig({ ...packageConfig, entry: ['src/index.ts', 'src/internal.ts'] });
