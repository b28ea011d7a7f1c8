import { ExceptionGroup, sleep } from '@aiotools/core';
import { formatTaskTree, race, Supervisor, TaskGroup } from '@aiotools/scope';
import { log, title } from '../log.js';

/** Task groups, supervisors, race and the live task tree of @aiotools/scope. */
export async function scopeStop(): Promise<void> {
  title('scope: task groups, supervisors, race, the task tree');

  try {
    await TaskGroup.run(
      async (tg) => {
        tg.spawn(() => sleep(60_000), { name: 'slow' });
        tg.spawn(
          async () => {
            await sleep(5);
            throw new Error('disk full');
          },
          { name: 'writer' },
        );
        await sleep(1);
        for (const line of formatTaskTree(tg).split('\n')) log(line);
      },
      { name: 'backup' },
    );
  } catch (error) {
    const errors =
      error instanceof ExceptionGroup ? error.errors.map((e) => (e as Error).message) : [];
    log(
      `TaskGroup failed fast: ExceptionGroup [${errors.join(', ')}]; the 60 s sleeper was cancelled`,
    );
  }

  let finished = 0;
  await Supervisor.run(async (sv) => {
    for (let i = 0; i < 5; i++) {
      sv.spawn(async () => {
        await sleep(i);
        if (i === 2) throw new Error('job 2 failed');
        finished++;
      });
    }
  });
  log(`Supervisor: ${finished} of 5 jobs finished; the failure cancelled nothing`);

  const [winner] = await race([
    async () => {
      await sleep(20);
      return 'mirror A';
    },
    async () => {
      await sleep(2);
      return 'mirror B';
    },
  ]);
  log(`race: ${winner} won, the loser was cancelled and awaited`);
}
