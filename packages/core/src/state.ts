import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from './clock.js';

/** The shape a scope node must have to live in the shared tree (see `CancelNode`). */
export interface SharedNode {
  readonly parent: SharedNode | undefined;
}

/**
 * Process-wide state, shared by every installed copy of `@aiotools/core` through one
 * `globalThis` slot, so that two copies agree on the ambient scope, the clock and the origin
 * of cancellation reasons.
 */
export interface CoreState {
  readonly protocol: number;
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

const PROTOCOL = 1;
const key = Symbol.for('@aiotools/core.state');

function load(): CoreState {
  const holder = globalThis as unknown as Record<symbol, CoreState | undefined>;
  const existing = holder[key];
  if (existing !== undefined) {
    if (existing.protocol !== PROTOCOL) {
      throw new Error(
        `Two incompatible copies of @aiotools/core are loaded (state protocol ${existing.protocol} and ${PROTOCOL}); install one version`,
      );
    }
    return existing;
  }
  const state: CoreState = {
    protocol: PROTOCOL,
    als: undefined,
    clock: undefined,
    origins: new WeakMap(),
    signals: new WeakMap(),
    idleSignal: undefined,
  };
  Object.defineProperty(holder, key, { value: state, enumerable: false });
  return state;
}

export const state: CoreState = load();

export function storage(): AsyncLocalStorage<SharedNode> {
  if (state.als === undefined) {
    const als = new AsyncLocalStorage<SharedNode>();
    // Enabled at once: on Node 20 and 22 a store follows promises only once some
    // AsyncLocalStorage is enabled (its hook makes Node track promises), and the first scope may
    // be entered in the reaction of a promise made before that. A new storage holds a store
    // nowhere, so entering none changes nothing.
    als.enterWith(undefined as unknown as SharedNode);
    state.als = als;
  }
  return state.als;
}
