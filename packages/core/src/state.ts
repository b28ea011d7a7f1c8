import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from './clock.js';
import { type SharedState, sharedState } from './shared-state.js';

/** The shape a scope node must have to live in the shared tree (see `CancelNode`). */
export interface SharedNode {
  readonly parent: SharedNode | undefined;
}

/**
 * Process-wide state, shared by every installed copy of `@aiotools/core` through one
 * `globalThis` slot, so that two copies agree on the ambient scope, the clock and the origin
 * of cancellation reasons.
 */
export interface CoreState extends SharedState {
  /** Created on first use: until a scope runs, no AsyncLocalStorage costs anything. */
  als: AsyncLocalStorage<SharedNode> | undefined;
  clock: Clock | undefined;
  /** Cancellation reason → the node whose `cancel()` introduced it. */
  readonly origins: WeakMap<object, SharedNode>;
  /** AbortSignal handed out by a node → that node. */
  readonly signals: WeakMap<AbortSignal, SharedNode>;
  /** Never aborts: `currentSignal()` outside any scope. */
  idleSignal: AbortSignal | undefined;
}

/**
 * The layout of the state below and of the string-keyed fields of `CancelNode` (copies link
 * and read each other's nodes); bump it with every incompatible change. 2: the node's booleans
 * in `_flags`, its reasons and controller out of line, no `_tail`.
 */
const PROTOCOL = 2;

export const state: CoreState = sharedState('@aiotools/core', PROTOCOL, () => ({
  protocol: PROTOCOL,
  als: undefined,
  clock: undefined,
  origins: new WeakMap(),
  signals: new WeakMap(),
  idleSignal: undefined,
}));

export function storage(): AsyncLocalStorage<SharedNode> {
  if (state.als === undefined) {
    const als = new AsyncLocalStorage<SharedNode>();
    // Enabled at once: on Node 20 and 22 the storage turns its promise hooks on only at its first
    // `enterWith` or `run`, and a reaction queued before that has no async resource of its own,
    // so a node entered in it would leak into whatever the caller runs next. No store exists
    // anywhere yet, so entering `undefined` changes nothing else.
    als.enterWith(undefined as unknown as SharedNode);
    state.als = als;
  }
  return state.als;
}
