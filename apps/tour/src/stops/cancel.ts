import {
  CancelScope,
  cancelAndWait,
  failAfter,
  moveOnAfter,
  shield,
  uncancellable,
} from '@aiotools/cancel';
import { sleep, TimeoutError } from '@aiotools/core';
import { TaskScope } from '@aiotools/scope';
import { log, title } from '../log.js';

/** Cancel scopes: nesting and the catch rule, deadlines, shields, cancelAndWait. */
export async function cancelStop(): Promise<void> {
  title('cancel: scopes, deadlines, shields, cancelAndWait');

  // Nested scopes: the outer is cancelled from inside the inner; the cancellation passes the
  // inner scope (it was not cancelled itself) and the outer one catches it.
  const outer = new CancelScope({ name: 'outer' });
  const inner = new CancelScope({ name: 'inner' });
  await outer.run(() =>
    inner.run(async () => {
      outer.cancel('stop everything');
      await sleep(60_000);
    }),
  );
  log(
    `nested: outer caught it: ${outer.cancelledCaught}, inner caught it: ${inner.cancelledCaught}`,
  );

  // Deadlines on the real clock (small times).
  const moved = await moveOnAfter(20, async () => {
    await sleep(60_000);
    return 'finished';
  });
  log(`moveOnAfter(20 ms) around a 60 s sleep gave ${String(moved)}`);
  try {
    await failAfter(20, () => sleep(60_000));
  } catch (error) {
    log(`failAfter(20 ms) threw ${(error as Error).name}: ${error instanceof TimeoutError}`);
  }

  // A shield lets cleanup finish; the outer cancellation hits at the next wait after it.
  const steps: string[] = [];
  const guarded = new CancelScope();
  await guarded.run(async () => {
    guarded.cancel();
    await shield(async () => {
      await sleep(5);
      steps.push('shielded cleanup done');
    });
    steps.push('after the shield');
    await sleep(5);
    steps.push('never printed');
  });
  log(`shield: ${steps.join(' → ')}, then the cancellation (caught: ${guarded.cancelledCaught})`);

  // cancelAndWait: stop a background task and wait until its cleanup has finished.
  await TaskScope.run(async (ts) => {
    const heartbeat = ts.spawn(async () => {
      try {
        for (;;) await sleep(1_000);
      } finally {
        // Runs to the end although the task is cancelled; the cancellation is rethrown after.
        await uncancellable(async () => {
          await sleep(5);
          log('heartbeat: last write flushed (uncancellable)');
        });
      }
    });
    await sleep(1);
    await cancelAndWait(heartbeat);
    log(
      `cancelAndWait returned; task done: ${heartbeat.done}, cancelled: ${heartbeat.cancelled()}`,
    );
  });
}
