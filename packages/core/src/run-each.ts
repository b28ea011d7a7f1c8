import type { CancelNode } from './cancel-node.js';
import { storage } from './state.js';

/**
 * Calls `fn(item)` for every item with `nodeOf(item)` as the ambient scope, like
 * `nodeOf(item).run(() => fn(item))` for each, then restores the caller's ambient scope.
 * A batch costs one context switch per item plus one restore, where separate `run` calls
 * cost two per item: it is how task groups start a burst of spawned bodies. `fn` must not
 * throw (an error stops the batch and propagates after the restore).
 *
 * @example
 * ```ts
 * import { CancelNode, currentNode } from '@aiotools/core';
import { runEach } from '@aiotools/core/internal';
 *
 * const jobs = [1, 2, 3].map((n) => ({ n, node: new CancelNode(currentNode()) }));
 * runEach(jobs, (job) => job.node, (job) => {
 *   console.log(currentNode() === job.node); // true
 * });
 * ```
 */
export function runEach<T>(
  items: readonly T[],
  nodeOf: (item: T) => CancelNode,
  fn: (item: T) => void,
): void {
  const als = storage();
  const prior = als.getStore();
  try {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as T;
      als.enterWith(nodeOf(item));
      fn(item);
    }
  } finally {
    als.enterWith(prior as CancelNode);
  }
}
