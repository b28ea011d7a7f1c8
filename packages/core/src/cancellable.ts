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
   * Also cancels the wait: the call rejects with `signal.reason` as it is. The ambient scope
   * (see `currentSignal()`) cancels it too, whether a signal is given or not: whichever comes
   * first ends the wait.
   * @default none: only the ambient scope
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
 * `options.signal` or the ambient scope is already cancelled; otherwise it starts the
 * operation and, if either is cancelled before the operation settles, undoes it and rejects
 * with that reason as it is. A signal adds to the ambient scope, it never replaces it: passing
 * one does not escape an enclosing deadline or a group's cancellation (a shield blocks the
 * ambient part, as everywhere). Nothing is left registered after it settles. Waits in a scope
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
  const node = currentNode();
  const signal = options?.signal;
  if (signal === undefined) {
    if (node === undefined)
      return new Promise<T>((resolve, reject) => void executor(resolve, reject));
    if (node.cancelled) return Promise.reject(node.reason);
    return inNode(executor, node);
  }
  // The signal adds to the ambient scope: whichever is cancelled first ends the wait.
  if (signal.aborted) return Promise.reject(signal.reason);
  if (node?.cancelled) return Promise.reject(node.reason);
  const signalNode = nodeOfSignal(signal);
  if (signalNode !== undefined && (node === undefined || node === signalNode))
    return inNode(executor, signalNode);
  return inNodeAndSignal(executor, node, signal, signalNode);
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

/**
 * Waits on the ambient node (if any) and on an explicit signal: the signal's own node when it
 * is one of the tree's, an abort listener otherwise.
 */
function inNodeAndSignal<T>(
  executor: CancellableExecutor<T>,
  node: CancelNode | undefined,
  signal: AbortSignal,
  signalNode: CancelNode | undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let undo: (() => void) | undefined | void;
    const release = () => {
      node?.offCancel(waker);
      if (signalNode !== undefined) signalNode.offCancel(waker);
      else signal.removeEventListener('abort', onAbort);
    };
    const waker = (reason: unknown) => {
      if (settled) return;
      settled = true;
      release();
      try {
        if (typeof undo === 'function') undo();
      } finally {
        reject(reason);
      }
    };
    const onAbort = () => waker(signal.reason);
    undo = executor(
      (value) => {
        if (settled) return;
        settled = true;
        release();
        resolve(value);
      },
      (error) => {
        if (settled) return;
        settled = true;
        release();
        reject(error);
      },
    );
    if (settled) return;
    if (signal.aborted) return onAbort();
    if (node?.cancelled) return waker(node.reason);
    if (signalNode !== undefined) {
      if (signalNode.cancelled) return waker(signalNode.reason);
      signalNode.onCancel(waker);
    } else signal.addEventListener('abort', onAbort, { once: true });
    node?.onCancel(waker);
  });
}
