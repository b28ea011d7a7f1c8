import { invalidType, validateFunction } from '@aiotools/core/internal';
import { PendingError } from './pending-error.js';
import { ignoreRejection, isAsyncFunction, isThenable } from './thenable.js';

/** The registrar {@link defer} passes to its function. */
export type DeferFunc = (cb: () => void) => void;

/**
 * Go's `defer` for synchronous code (aiotools' `@defer`): runs `fn` with a registrar; the
 * callbacks registered through it run when `fn` returns or throws, most recent first.
 *
 * Every deferred callback runs, even when `fn` or an earlier callback threw (aiotools skips
 * the remaining ones instead). Errors are chained like `using` does: a callback error thrown
 * while another error is pending becomes a `SuppressedError` whose `error` is the new one and
 * `suppressed` the earlier one. Without any callback error, `fn`'s own error comes out as it
 * is. Registering after `defer` returned throws a `ReferenceError`.
 *
 * @param fn - a synchronous function; it receives the registrar
 * @returns what `fn` returned
 * @throws TypeError when `fn` (or a callback) is an async function, or a callback returns a
 * promise: use {@link adefer} for asynchronous work
 * @example
 * ```ts
 * import { closeSync, openSync, readSync } from 'node:fs';
 * import { defer } from '@aiotools/context';
 *
 * const total = defer((d) => {
 *   const fd = openSync(path, 'r');
 *   d(() => closeSync(fd));
 *   return readSync(fd, Buffer.alloc(4096));
 * });
 * ```
 */
export function defer<R>(fn: (defer: DeferFunc) => R): R {
  validateFunction(fn, 'fn');
  if (isAsyncFunction(fn)) {
    throw invalidType('fn', 'a synchronous function (use adefer() for async functions)', fn);
  }
  const callbacks: (() => void)[] = [];
  let open = true;
  const register: DeferFunc = (cb) => {
    if (!open) throw new ReferenceError('defer(): the deferring function has already returned');
    validateFunction(cb, 'cb');
    if (isAsyncFunction(cb)) {
      throw new TypeError('defer() cannot run an async callback; use adefer() for async cleanups');
    }
    callbacks.push(cb);
  };
  let result: R | undefined;
  const pending = new PendingError();
  try {
    result = fn(register);
    if (isThenable(result)) {
      ignoreRejection(result);
      throw new TypeError('defer(): `fn` returned a promise; use adefer() for async functions');
    }
  } catch (thrown) {
    pending.add(thrown);
  }
  for (let cb = callbacks.pop(); cb !== undefined; cb = callbacks.pop()) {
    try {
      const value: unknown = cb();
      if (isThenable(value)) {
        ignoreRejection(value);
        throw new TypeError('defer(): a deferred callback returned a promise; use adefer()');
      }
    } catch (thrown) {
      pending.add(thrown);
    }
  }
  open = false;
  pending.throwIfAny();
  return result as R;
}
