import type { CancelNode } from '@aiotools/core';
import { type SharedState, sharedState } from '@aiotools/core/internal';

/** What `run()` keeps of the Groups created under it, as every copy of the package calls it. */
export interface RunGroupsLike {
  add(node: CancelNode, group: { close(): void }): () => void;
}

/**
 * Process-wide state of `@aiotools/scope`, shared by every installed copy through one
 * `globalThis` slot (as core shares the ambient tree), so that two copies agree on the live task
 * tree, on which `run()` a Group belongs to, and on the numbers behind default names.
 */
export interface ScopeState extends SharedState {
  /** The roots of the trees that hold an open scope node, each with its number of open ones. */
  readonly roots: Map<CancelNode, number>;
  /** The root node of a running `run()`, and the node of every Group enrolled with it. */
  readonly runs: WeakMap<CancelNode, RunGroupsLike>;
  /** The last number given to a default name: `Task-N`, `TaskGroup-N`, `TaskScope-N`, `Group-N`. */
  readonly counters: { task: number; taskGroup: number; taskScope: number; group: number };
}

/** The layout of the state below; bump it with every incompatible change. */
const PROTOCOL = 1;

export const scopeState: ScopeState = sharedState('@aiotools/scope', PROTOCOL, () => ({
  protocol: PROTOCOL,
  roots: new Map(),
  runs: new WeakMap(),
  counters: { task: 0, taskGroup: 0, taskScope: 0, group: 0 },
}));

/** On the prototype of every copy's task node: how a copy knows another copy's task node. */
export const TASK_NODE = Symbol.for('@aiotools/scope.TaskNode');
/** On the prototype of every copy's scope node. */
export const SCOPE_NODE = Symbol.for('@aiotools/scope.ScopeNode');

/** Whether `node` is a node of `brand`'s kind, made by any copy of the package. */
export function hasBrand(node: CancelNode, brand: typeof TASK_NODE | typeof SCOPE_NODE): boolean {
  return (node as unknown as Record<symbol, unknown>)[brand] === true;
}
