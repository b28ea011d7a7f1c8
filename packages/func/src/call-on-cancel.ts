import { CancelNode, cancellable, currentNode } from '@aiotools/core';
import { validateFunction } from '@aiotools/core/internal';

/**
 * Waits until the ambient scope (the cancel scope, task or task group around the call) is
 * cancelled, then calls `fn(...args)` and resolves with its result: hat.aio's
 * `call_on_cancel`, for "when this task is cancelled, do X". The cancellation is swallowed:
 * the call resolves normally (it rejects only with `fn`'s own error).
 *
 * `fn` runs in a shield under the cancelled scope: with level-triggered cancellation a
 * checkpoint in the still-cancelled scope would throw at once, so without the shield an async
 * `fn` could not await anything. Like any shielded code it is not interrupted by the outer
 * cancellation — bound it with its own deadline (`failAfter` in `@aiotools/cancel`) if it may
 * hang. Back in the caller, the scope is still cancelled: the next checkpoint throws.
 *
 * When the scope is already cancelled, `fn` is called at once. Arguments are passed through
 * exactly (hat passes keyword-argument names instead of values).
 *
 * @param fn - a sync or async function
 * @param args - its arguments
 * @returns a promise of `fn`'s result, settled after the scope was cancelled
 * @throws TypeError (as a rejection) when `fn` is not a function; Error (as a rejection) when
 * called outside every cancel scope, where nothing could ever cancel the wait
 * @example
 * ```ts
 * import { sleep } from '@aiotools/core';
 * import { TaskGroup } from '@aiotools/scope';
 * import { callOnCancel } from '@aiotools/func';
 *
 * await TaskGroup.run(async (tg) => {
 *   tg.spawn(() => callOnCancel(() => connection.close()));
 *   await sleep(1_000); // … the group's work
 *   tg.cancel(); // the group is cancelled: the connection is closed
 * });
 * await connection.closed; // already settled: the group waited for the close
 * console.log('connection closed');
 * ```
 */
export async function callOnCancel<A extends unknown[], T>(
  fn: (...args: A) => PromiseLike<T> | T,
  ...args: A
): Promise<T> {
  validateFunction(fn, 'fn');
  const node = currentNode();
  if (node === undefined) {
    throw new Error(
      'callOnCancel() must run inside a cancel scope or task: nothing can cancel it here',
    );
  }
  if (!node.cancelled) {
    try {
      await cancellable<never>(() => undefined);
    } catch (reason) {
      if (!node.cancelled) throw reason;
    }
  }
  const shield = new CancelNode(node, { shield: true, kind: 'shield', name: 'callOnCancel' });
  try {
    return await shield.run(() => fn(...args));
  } finally {
    shield.detach();
  }
}
