import type { CancelNode } from './cancel-node.js';
import { storage } from './state.js';

/**
 * Calls `fn(a, b)` with `node` as the ambient scope, like `node.run(() => fn(a, b))` without
 * the closure: how scopes that are opened once per call (a deadline per request) run their body.
 *
 * @example
 * ```ts
 * import { CancelNode, currentNode } from '@aiotools/core';
import { runIn } from '@aiotools/core/internal';
 *
 * const node = new CancelNode(currentNode());
 * runIn(node, (a: number, b: number) => console.log(currentNode() === node, a + b), 1, 2); // true 3
 * node.detach();
 * ```
 */
export function runIn<A, B, R>(node: CancelNode, fn: (a: A, b: B) => R, a: A, b: B): R {
  return storage().run(node, fn, a, b);
}
