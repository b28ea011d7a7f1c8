// Started by run-exit-on-signal.test.ts: run() refuses SIGKILL; Ctrl-C must then still end the
// process the default way, so no listener may be left installed.
import { run } from '@aiotools/scope';

const error = await run(async () => 'not run', { signals: ['SIGINT', 'SIGKILL'] }).catch((e) => e);
process.stdout.write(`${error.name}: ${error.message}\nready\n`);
setInterval(() => {}, 60_000);
