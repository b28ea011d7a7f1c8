import { currentNode } from './current-node.js';
import { state } from './state.js';

/**
 * The `AbortSignal` of the innermost ambient scope or task: pass it to APIs that take a
 * signal (`fetch`, streams, `child_process`) so they stop when the scope is cancelled.
 * Outside every scope it returns a signal that never aborts.
 *
 * @example
 * ```ts
 * import { currentSignal } from '@aiotools/core';
 *
 * const response = await fetch(url, { signal: currentSignal() });
 * ```
 */
export function currentSignal(): AbortSignal {
  const node = currentNode();
  if (node !== undefined) return node.signal;
  state.idleSignal ??= new AbortController().signal;
  return state.idleSignal;
}
