import type { CancelNode } from './cancel-node.js';
import { storage } from './state.js';

const resolved = Promise.resolve();

/**
 * Calls `fn(arg)` in a microtask of its own, in the async context of this call (every
 * `AsyncLocalStorage`, every `ContextVar` as they are here) with `node` as the ambient scope:
 * how task groups start a spawned body, so that `spawn()` returns first and the body sees what
 * its spawner saw, as asyncio's `create_task` copies the context. The microtask is a reaction
 * of a resolved promise, which carries the caller's context at almost no cost (a queued
 * `queueMicrotask` costs an async resource on every Node version). `fn` should not throw: an
 * error it throws is reported as an uncaught exception.
 *
 * @example
 * ```ts
 * import { CancelNode, currentNode } from '@aiotools/core';
import { runSoonIn } from '@aiotools/core/internal';
 *
 * const node = new CancelNode(currentNode(), { kind: 'task' });
 * runSoonIn(node, (n) => console.log(currentNode() === node, n), 42); // true 42, a microtask later
 * ```
 */
export function runSoonIn<A>(node: CancelNode, fn: (arg: A) => void, arg: A): void {
  // Taken before the promise reaction is made: the storage must be enabled for the reaction
  // to carry a context of its own (Node 20 and 22).
  const als = storage();
  void resolved.then(() => {
    // A reaction job starts with the context of the `then` call and drops whatever it enters
    // when it ends, so entering the node here cannot leak into the caller or the next job.
    als.enterWith(node);
    try {
      fn(arg);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  });
}
