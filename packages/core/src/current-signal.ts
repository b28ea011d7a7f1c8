import { setMaxListeners } from 'node:events';
import { currentNode } from './current-node.js';
import { state } from './state.js';

/**
 * The `AbortSignal` of the innermost ambient scope or task: pass it to APIs that take a
 * signal (`fetch`, streams, `child_process`) so they stop when the scope is cancelled.
 * Outside every scope it returns a signal that never aborts. Like `currentNode()`, it counts
 * only scopes that are still running: after its scope exited, a callback created in it gets
 * the signal of the nearest enclosing scope that has not.
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
  if (state.idleSignal === undefined) {
    const idle = new AbortController().signal;
    // Shared by every caller outside a scope: many concurrent `fetch`es must not warn.
    setMaxListeners(0, idle);
    state.idleSignal = idle;
  }
  return state.idleSignal;
}
