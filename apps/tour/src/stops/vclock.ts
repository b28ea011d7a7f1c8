import { setTimeout as wait } from 'node:timers/promises';
import { sleep } from '@aiotools/core';
import { installVirtualClock, LoopLimitError, VirtualClock } from '@aiotools/vclock';
import { log, title } from '../log.js';

/** Virtual time: an hour in no time, every clock of the process in step, runaway loops caught. */
export async function vclockStop(): Promise<void> {
  title('vclock: virtual time that jumps only when the process is idle');
  const realStart = performance.now();
  const clock = new VirtualClock({ date: Date.UTC(2030, 0, 1) });
  await clock.run(async () => {
    log(`start: Date ${new Date().toISOString()}, performance.now() ${performance.now()}`);
    await sleep(3_600_000);
    log(
      `after sleep(1 h): Date ${new Date().toISOString()}, performance.now() ${performance.now()}`,
    );
    await wait(1_500);
    const signal = AbortSignal.timeout(500);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    log(`timers/promises and AbortSignal.timeout follow it: clock.now() = ${clock.now()}`);
  });
  log(
    `real time spent: ${(performance.now() - realStart).toFixed(0)} ms; Date is real again: ${new Date().getUTCFullYear() < 2030}`,
  );

  const runaway = new VirtualClock({ loopLimit: 1_000 });
  const outcome = await runaway
    .run(async () => {
      setInterval(() => {}, 0);
      await sleep(60_000);
    })
    .catch((error: unknown) => error);
  log(
    `a setInterval(f, 0) left running: ${outcome instanceof LoopLimitError ? outcome.name : 'no error?'}`,
  );

  using manual = installVirtualClock({ autojump: false });
  const fired: number[] = [];
  setTimeout(() => fired.push(manual.now()), 250);
  await manual.advance(200);
  log(`manual stepping: after advance(200) fired ${JSON.stringify(fired)}`);
  await manual.advance(100);
  log(`after advance(100) more: fired ${JSON.stringify(fired)}`);
}
