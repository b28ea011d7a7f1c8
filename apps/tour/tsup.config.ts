import { appConfig } from '../../tsup.config.base.js';

// fork-job.js and server-app.js are the scripts the fork and server stops run in child
// processes, found beside main.js.
export default appConfig(['src/main.ts', 'src/fork-job.ts', 'src/server-app.ts']);
