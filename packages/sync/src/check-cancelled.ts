import { currentNode, type SignalOptions } from '@aiotools/core';
import { validateOptions, validateSignal } from '@aiotools/core/internal';

/**
 * The entry check of a waiting call that may complete without waiting: a rejected promise
 * when `options` is invalid or the wait is already cancelled (through `options.signal` or
 * the ambient scope), otherwise `undefined`. Level-triggered: a call in a
 * cancelled scope rejects even when what it asks for is available.
 */
export function checkCancelled(options: SignalOptions | undefined): Promise<never> | undefined {
  if (options !== undefined) {
    try {
      validateOptions(options, 'options');
      validateSignal(options.signal, 'options.signal');
    } catch (error) {
      return Promise.reject(error);
    }
  }
  const cancelled = isCancelledNow(options);
  return cancelled === undefined ? undefined : Promise.reject(cancelled.reason);
}

/** Whether the wait described by `options` is cancelled now (after validation). */
export function isCancelledNow(
  options: SignalOptions | undefined,
): { reason: unknown } | undefined {
  const signal = options?.signal;
  if (signal?.aborted) return { reason: signal.reason };
  const node = currentNode();
  return node?.cancelled ? { reason: node.reason } : undefined;
}
