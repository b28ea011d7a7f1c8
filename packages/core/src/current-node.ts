import type { CancelNode } from './cancel-node.js';
import { state } from './state.js';

/**
 * The innermost ambient scope node (of a `CancelScope`, task group or task) around the
 * caller, or `undefined` outside every scope.
 *
 * Only scopes that are still running count: code that runs after its scope exited (a
 * `setTimeout` callback or a promise continuation created inside it) sees the nearest
 * enclosing scope that has not exited, or none, and so never inherits the cancellation of a
 * scope that is gone (an expired `moveOnAfter`, a settled task).
 *
 * @example
 * ```ts
 * import { currentNode } from '@aiotools/core';
 *
 * if (currentNode()?.cancelled) console.log('cleaning up after a cancel');
 * ```
 */
export function currentNode(): CancelNode | undefined {
  let node = state.als?.getStore() as CancelNode | undefined;
  while (node?.exited === true) node = node.parent;
  return node;
}

/**
 * The node behind an AbortSignal that a node handed out (`node.signal`, `currentSignal()`),
 * or `undefined` for any other signal. Waiting calls use it to wait on the node directly,
 * without adding an abort listener.
 *
 * @example
 * ```ts
 * import { currentSignal } from '@aiotools/core';
import { nodeOfSignal } from '@aiotools/core/internal';
 *
 * nodeOfSignal(currentSignal()); // the ambient node, or undefined at top level
 * ```
 */
export function nodeOfSignal(signal: AbortSignal): CancelNode | undefined {
  return state.signals.get(signal) as CancelNode | undefined;
}
