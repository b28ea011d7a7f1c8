// Started by run-exit-on-signal.test.ts: a program whose run() is ended by a real stop signal
// while a Group created in main still has a task running.
import { sleep } from '@aiotools/core';
import { Group, run } from '@aiotools/scope';

await run(
  async () => {
    const group = new Group();
    group.spawn(async () => {
      try {
        await sleep(60_000);
      } finally {
        process.stdout.write('group task cancelled\n');
      }
    });
    process.stdout.write('ready\n');
    await sleep(60_000);
  },
  { exitOnSignal: true },
);
process.stdout.write(
  `run returned, listeners ${process.listenerCount('SIGINT')} ${process.listenerCount('SIGTERM')}\n`,
);
