import { cancellable } from '@aiotools/core';
import { invalidType, validateFunction } from '@aiotools/core/internal';

/**
 * Waits until `p` settles, ignoring its result and its error, then calls `fn(...args)` and
 * resolves with its result: hat.aio's `call_on_done`, for "when this finishes, do X".
 *
 * The wait is cancellable by the ambient scope: when it is cancelled while waiting (or
 * already), the call rejects with the scope's reason and `fn` is not called; `p` itself is
 * left running (a promise cannot be cancelled — cancel the task behind it if needed) and its
 * rejection never goes unhandled. `fn` runs in the caller's scope, so its checkpoints see a
 * later cancellation. Arguments are passed through exactly.
 *
 * @param p - the promise (or thenable) to wait for
 * @param fn - a sync or async function
 * @param args - its arguments
 * @returns a promise of `fn`'s result
 * @throws TypeError (as a rejection) when `p` is not a thenable or `fn` not a function; the
 * scope's reason when cancelled before `p` settled
 * @example
 * ```ts
 * import { callOnDone } from '@aiotools/func';
 * import { Group } from '@aiotools/scope';
 *
 * const group = new Group();
 * // close the group as soon as the connection ends, whatever the outcome
 * group.spawn(() => callOnDone(connection.closed, () => group.close()));
 * ```
 */
export async function callOnDone<A extends unknown[], T>(
  p: PromiseLike<unknown>,
  fn: (...args: A) => PromiseLike<T> | T,
  ...args: A
): Promise<T> {
  if (typeof (p as Partial<PromiseLike<unknown>> | null)?.then !== 'function') {
    throw invalidType('p', 'a promise', p);
  }
  validateFunction(fn, 'fn');
  // Handled right away, so that a cancelled wait never leaves p's rejection unhandled.
  const done = Promise.resolve(p).then(
    () => undefined,
    () => undefined,
  );
  await cancellable<undefined>((resolve) => {
    done.then(resolve);
  });
  return await fn(...args);
}
