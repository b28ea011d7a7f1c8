import type { CancelNode } from './cancel-node.js';
import { currentNode, nodeOfSignal } from './current-node.js';
import { validateOptions, validateSignal } from './validate.js';

/**
 * Options of every waiting call of the family; other packages extend it.
 *
 * @example
 * ```ts
 * import { type SignalOptions, sleep } from '@aiotools/core';
 *
 * async function poll(options?: SignalOptions): Promise<void> {
 *   await sleep(1_000, options);
 * }
 * ```
 */
export interface SignalOptions {
  /**
   * Cancels the wait; the call rejects with `signal.reason` as it is.
   * @default the ambient scope (see `currentSignal()`)
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Starts an operation. Call `resolve`/`reject` when it finishes; return a function that
 * undoes it (clears a timer, removes a waiter), called once if the wait is cancelled first.
 * It is not called at all when the wait is cancelled already.
 *
 * @example
 * ```ts
 * import { type CancellableExecutor, cancellable } from '@aiotools/core';
 *
 * const tick: CancellableExecutor<void> = (resolve) => {
 *   const handle = setImmediate(resolve);
 *   return () => clearImmediate(handle);
 * };
 * await cancellable(tick);
 * ```
 */
export type CancellableExecutor<T> = (
  resolve: (value: T) => void,
  reject: (error: unknown) => void,
) => (() => void) | undefined | void;

/**
 * Wraps a wait so that it follows the abort protocol of the family: it rejects at once when
 * `options.signal` (or, without one, the ambient scope) is already cancelled; otherwise it
 * starts the operation and, if cancelled before the operation settles, undoes it and rejects
 * with the reason as it is. Nothing is left registered after it settles. Waits in a scope
 * cost no AbortSignal listener: the scope node wakes them directly.
 *
 * @throws TypeError (as a rejection) for a `signal` that is not an AbortSignal
 * @example
 * ```ts
 * import { cancellable } from '@aiotools/core';
 *
 * function nextTick(options?: { signal?: AbortSignal }): Promise<void> {
 *   return cancellable((resolve) => {
 *     const handle = setImmediate(resolve);
 *     return () => clearImmediate(handle);
 *   }, options);
 * }
 * ```
 */
export function cancellable<T>(
  executor: CancellableExecutor<T>,
  options?: SignalOptions,
): Promise<T> {
  try {
    validateOptions(options, 'options');
    validateSignal(options?.signal, 'options.signal');
  } catch (error) {
    return Promise.reject(error);
  }
  const signal = options?.signal;
  if (signal !== undefined) {
    if (signal.aborted) return Promise.reject(signal.reason);
    const node = nodeOfSignal(signal);
    return node !== undefined ? inNode(executor, node) : withSignal(executor, signal);
  }
  const node = currentNode();
  if (node === undefined)
    return new Promise<T>((resolve, reject) => void executor(resolve, reject));
  if (node.cancelled) return Promise.reject(node.reason);
  return inNode(executor, node);
}

function inNode<T>(executor: CancellableExecutor<T>, node: CancelNode): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let undo: (() => void) | undefined | void;
    const waker = (reason: unknown) => {
      if (settled) return;
      settled = true;
      // Settle even when the undo throws: the error then surfaces as an uncaught exception.
      try {
        if (typeof undo === 'function') undo();
      } finally {
        reject(reason);
      }
    };
    undo = executor(
      (value) => {
        if (settled) return;
        settled = true;
        node.offCancel(waker);
        resolve(value);
      },
      (error) => {
        if (settled) return;
        settled = true;
        node.offCancel(waker);
        reject(error);
      },
    );
    // The executor may itself have cancelled the node; a waker added now would never run.
    if (settled) return;
    if (node.cancelled) waker(node.reason);
    else node.onCancel(waker);
  });
}

function withSignal<T>(executor: CancellableExecutor<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let undo: (() => void) | undefined | void;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      try {
        if (typeof undo === 'function') undo();
      } finally {
        reject(signal.reason);
      }
    };
    undo = executor(
      (value) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
    if (settled) return;
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
