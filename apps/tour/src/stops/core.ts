import { CancelledError, CancelNode, currentSignal, isCancellation, sleep } from '@aiotools/core';
import { log, title } from '../log.js';

/** The ambient scope tree of @aiotools/core: cancellation reaches waits without signals. */
export async function coreStop(): Promise<void> {
  title('core: the ambient cancel-scope tree');
  const root = new CancelNode(undefined, { name: 'root' });
  const waits = root.run(() =>
    Promise.allSettled(
      [1, 2, 3].map((i) => {
        const child = new CancelNode(root, { name: `child ${i}` });
        return child.run(() => sleep(60_000)).finally(() => child.detach());
      }),
    ),
  );
  log(
    `3 sleeps of 60 s started; currentSignal() outside a scope never aborts: ${!currentSignal().aborted}`,
  );
  root.cancel('tour over');
  const outcomes = await waits;
  for (const outcome of outcomes) {
    const reason = outcome.status === 'rejected' ? outcome.reason : undefined;
    log(
      `sleep ${outcome.status}: ${reason instanceof CancelledError ? reason.message : reason} (cancellation: ${isCancellation(reason)})`,
    );
  }
}
