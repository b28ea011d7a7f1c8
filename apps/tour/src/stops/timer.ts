import { cancelAndWait } from '@aiotools/cancel';
import { sleep } from '@aiotools/core';
import { createTimer, interval, TimerDelayPolicy } from '@aiotools/timer';
import { VirtualClock } from '@aiotools/vclock';
import { log, title } from '../log.js';

/** Timers with delay policies and a drift-free interval, on the virtual clock. */
export async function timerStop(): Promise<void> {
  title('timer: createTimer and interval (on a VirtualClock)');
  const clock = new VirtualClock();
  await clock.run(async () => {
    for (const [label, policy] of [
      ['DEFAULT', TimerDelayPolicy.DEFAULT],
      ['CANCEL', TimerDelayPolicy.CANCEL],
    ] as const) {
      const start = clock.now();
      const counts = { started: 0, finished: 0, cancelled: 0 };
      const timer = createTimer(
        async (_interval, signal) => {
          counts.started++;
          try {
            await sleep(2_500, { signal }); // each tick takes 2.5 intervals
            counts.finished++;
          } catch (error) {
            counts.cancelled++;
            throw error;
          }
        },
        1_000,
        { delayPolicy: policy },
      );
      await sleep(5_500);
      await cancelAndWait(timer);
      log(
        `${label}: ticks every 1 s for 5.5 s (virtual, took ${clock.now() - start} ms): ${JSON.stringify(counts)}`,
      );
    }

    const seen: string[] = [];
    const origin = clock.now();
    for await (const n of interval(100)) {
      seen.push(`#${n}@${clock.now() - origin}`);
      if (n === 1) await sleep(350); // a slow consumer: slots 2 and 3 are skipped
      if (seen.length === 4) break;
    }
    log(`interval(100) with a slow consumer: ${seen.join(' ')} (no burst, no drift)`);
  });
}
