// Run by run.test.ts in a child process: cancelled by a real signal, cleans up under a
// shield while a second signal arrives, and prints what happened.
import { shield } from '@aiotools/cancel';
import { sleep } from '@aiotools/core';
import { run } from '../src/index.js';

const outcome = await run(async () => {
  process.stdout.write('ready\n');
  try {
    await sleep(60_000);
    return 'not cancelled';
  } catch (error) {
    process.stdout.write(`cancelled: ${(error as Error).message}\n`);
    await shield(() => sleep(400));
    process.stdout.write('cleanup done\n');
    throw error;
  }
}).catch((error: Error) => `main rejected with ${error.name}`);
process.stdout.write(
  `${outcome}\nlisteners ${process.listenerCount('SIGINT')} ${process.listenerCount('SIGTERM')}\n`,
);
