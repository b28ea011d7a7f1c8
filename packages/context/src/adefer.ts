import { invalidType, validateFunction } from '@aiotools/core/internal';
import { PendingError } from './pending-error.js';
import { ignoreRejection, isThenable } from './thenable.js';

/** What can be deferred with {@link adefer}: a sync or async function, or a promise. */
export type AsyncDeferrable = (() => unknown) | PromiseLike<unknown>;

/** The registrar {@link adefer} passes to its function. */
export type AsyncDeferFunc = (cb: AsyncDeferrable) => void;

/**
 * Go's `defer` for async code (aiotools' `@adefer`): runs `fn` with a registrar; the
 * registered cleanups run after `fn` settles, most recent first, each awaited before the
 * next.
 *
 * A cleanup can be a sync function, an async function (its promise is awaited, also when a
 * plain function returns one), or a promise (awaited; note that unlike a Python coroutine it
 * is already running when registered — its rejection before the cleanup phase is not lost).
 * Every cleanup runs even when `fn` or an earlier cleanup failed (aiotools skips the
 * remaining ones); errors are chained with `SuppressedError` like `await using` does, and
 * without any cleanup error `fn`'s error comes out as it is.
 *
 * Cleanups run in the caller's scope: when it is cancelled, their checkpoints throw again
 * (level-triggered); shield the ones that must await.
 *
 * @param fn - receives the registrar; may be sync or async
 * @returns what `fn` resolved to
 * @throws TypeError (as a rejection) when `fn` is not a function; the registrar throws a
 * TypeError for anything else than a function or a promise, and a ReferenceError once the
 * cleanups have run
 * @example
 * ```ts
 * import { adefer } from '@aiotools/context';
 *
 * await adefer(async (d) => {
 *   const conn = await pool.connect();
 *   d(() => conn.release());
 *   await conn.query('UPDATE …');
 * });
 * ```
 */
export async function adefer<R>(fn: (defer: AsyncDeferFunc) => R | PromiseLike<R>): Promise<R> {
  validateFunction(fn, 'fn');
  const cleanups: AsyncDeferrable[] = [];
  let open = true;
  const register: AsyncDeferFunc = (cb) => {
    if (!open) throw new ReferenceError('adefer(): the deferring function has already finished');
    if (isThenable(cb)) {
      ignoreRejection(cb);
    } else if (typeof cb !== 'function') {
      throw invalidType('cb', 'a function or a promise', cb);
    }
    cleanups.push(cb);
  };
  let result: R | undefined;
  const pending = new PendingError();
  try {
    result = await fn(register);
  } catch (thrown) {
    pending.add(thrown);
  }
  for (let cb = cleanups.pop(); cb !== undefined; cb = cleanups.pop()) {
    try {
      await (isThenable(cb) ? cb : cb());
    } catch (thrown) {
      pending.add(thrown);
    }
  }
  open = false;
  pending.throwIfAny();
  return result as R;
}
