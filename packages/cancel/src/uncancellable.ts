import { currentNode } from '@aiotools/core';
import { invalidType, validateBoolean, validateOptions } from '@aiotools/core/internal';
import { shield } from './shield.js';

/** Options of {@link uncancellable}. */
export interface UncancellableOptions {
  /**
   * When the caller was cancelled while waiting, throw its cancellation once the work has
   * finished (`true`), or return the work's value anyway (`false`: the cancellation is then up
   * to the caller's next checkpoint).
   * @default true
   */
  readonly raiseCancel?: boolean | undefined;
}

/**
 * Waits for `work` to finish even when the caller is cancelled meanwhile: hat.aio's
 * `uncancellable`. The caller's cancellation is deferred, not lost: after the work finished,
 * an error of the work is thrown as it is (it wins over the cancellation, unlike hat.aio, which
 * masks it); otherwise, if the caller's scope was cancelled and `raiseCancel` is true, its
 * cancellation is thrown; otherwise the work's value is returned.
 *
 * `work` is either a promise or a function `(signal) => promise`. Prefer the function: it runs
 * inside a {@link shield}, so the waits it makes are protected too. A promise that was started
 * in the cancelled scope is not protected by waiting for it uncancellably: its own checkpoints
 * already fail.
 *
 * @param work - a promise, or a function started inside a shield and given its signal
 * @param options - `raiseCancel` (default `true`)
 * @returns the work's value
 * @throws the work's error; the caller's cancellation (see above); TypeError (as a rejection)
 * when `work` is neither a thenable nor a function
 * @example
 * ```ts
 * import { uncancellable } from '@aiotools/cancel';
 *
 * // Even if this request is cancelled, the transaction is committed or rolled back first.
 * await uncancellable(() => transaction.commit());
 * ```
 */
export async function uncancellable<T>(
  work: PromiseLike<T> | ((signal: AbortSignal) => PromiseLike<T> | T),
  options?: UncancellableOptions,
): Promise<T> {
  validateOptions(options, 'options');
  validateBoolean(options?.raiseCancel, 'options.raiseCancel');
  const caller = currentNode();
  let value: T;
  if (typeof work === 'function') {
    value = await shield(work);
  } else if (typeof (work as { then?: unknown } | null)?.then === 'function') {
    value = await work;
  } else {
    throw invalidType('work', 'a thenable or a function', work);
  }
  if ((options?.raiseCancel ?? true) && caller?.cancelled) throw caller.reason;
  return value;
}
