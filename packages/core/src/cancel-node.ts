import { setMaxListeners } from 'node:events';
import { CancelledError } from './cancelled-error.js';
import { ExceptionGroup } from './exception-group.js';
import { type SharedNode, state, storage } from './state.js';

/**
 * A callback woken once, with the reason, when its node becomes effectively cancelled. It runs
 * synchronously inside `cancel()` (or the `shield` change): keep it short and do not throw; an
 * error it throws is reported as an uncaught exception and does not stop the other wakers.
 *
 * @example
 * ```ts
 * import { type CancelWaker, currentNode } from '@aiotools/core';
 *
 * const node = currentNode();
 * const waker: CancelWaker = (reason) => console.log('cancelled:', reason);
 * node?.onCancel(waker);
 * // … when the wait is over:
 * node?.offCancel(waker);
 * ```
 */
export type CancelWaker = (reason: unknown) => void;

/**
 * A waker written as an object: its `wake(reason)` method is called instead of a function.
 * A pending operation that keeps its state in one object can register that object and spare
 * the closure. The same rules as for {@link CancelWaker} apply.
 *
 * @example
 * ```ts
 * import { type CancelWakeTarget, currentNode } from '@aiotools/core';
 *
 * const wait: CancelWakeTarget = { wake: (reason) => console.log('cancelled:', reason) };
 * currentNode()?.onCancel(wait);
 * ```
 */
export interface CancelWakeTarget {
  wake(reason: unknown): void;
}

/**
 * Options of {@link CancelNode}.
 *
 * @example
 * ```ts
 * import { CancelNode, currentNode } from '@aiotools/core';
 *
 * const cleanup = new CancelNode(currentNode(), { shield: true, kind: 'cleanup', name: 'flush' });
 * ```
 */
export interface CancelNodeOptions {
  /** Blocks the cancellation of the parent from reaching this node. @default false */
  readonly shield?: boolean;
  /** What the node stands for, for diagnostics (`'scope'`, `'task'`, …). @default 'scope' */
  readonly kind?: string;
  /** A name for diagnostics. @default '' */
  readonly name?: string;
}

/**
 * Turns the argument of a `cancel(reason)` call into the reason: `undefined` becomes a
 * `CancelledError`, a string becomes a `CancelledError` with that message, anything else
 * is kept as it is. Scopes and tasks of the family use it so that every `cancel()` agrees.
 *
 * @param reason - what the caller passed to `cancel()`
 * @returns the reason that checkpoints will throw
 * @example
 * ```ts
 * import { toCancelReason } from '@aiotools/core/internal';
 *
 * toCancelReason('shutting down'); // CancelledError: shutting down
 * toCancelReason(new Error('custom')); // the same Error
 * ```
 */
export function toCancelReason(reason: unknown): unknown {
  if (reason === undefined) return new CancelledError();
  if (typeof reason === 'string') return new CancelledError(reason);
  return reason;
}

function reasonOf(error: unknown): unknown {
  // Node's AbortError (timers/promises, events.once, streams) carries the signal's reason
  // as `cause`; fetch rejects with the reason itself.
  if (typeof error === 'object' && error !== null) {
    const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown };
    if ((name === 'AbortError' || code === 'ABORT_ERR') && cause !== undefined) return cause;
  }
  return error;
}

/**
 * A node of the ambient cancel-scope tree: the building block of `CancelScope`, task groups
 * and tasks. Library authors use it to make their own scopes; applications use the
 * higher-level packages.
 *
 * A node is **effectively cancelled** when it was cancelled itself or its parent is
 * effectively cancelled and it is not shielded. The state is pushed down the tree eagerly,
 * so checking it is O(1); each node wakes only the operations waiting directly in it, and
 * creates its `AbortSignal` only when somebody reads `signal`.
 *
 * @example
 * ```ts
 * import { CancelNode, currentNode, sleep } from '@aiotools/core';
 *
 * const node = new CancelNode(currentNode());
 * setTimeout(() => node.cancel(), 100);
 * try {
 *   await node.run(() => sleep(10_000));
 * } catch (error) {
 *   if (!node.swallows(error)) throw error;
 * } finally {
 *   node.detach();
 * }
 * ```
 */
export class CancelNode {
  /** The enclosing node, kept after `detach()` so that reason origins can still be traced. */
  readonly parent: CancelNode | undefined;
  /** What the node stands for (`'scope'`, `'task'`, …), for diagnostics. */
  readonly kind: string;
  /** A name for diagnostics; `''` when none was given. */
  readonly name: string;
  // The state below is written only by this class. The fields stay string-keyed (TypeScript
  // `private`, not `#`) because one tree may mix nodes of two installed copies of core, which
  // read and link each other's; `@internal` keeps them out of the published declarations. The
  // layout is part of the shared state's protocol (see state.ts): change it, bump that.
  // Every node pays for these slots, so they are few: the five booleans share one small
  // integer, and what only a cancelled node or a read of `signal` needs lives in one object
  // made on first use.
  /** @internal */
  private _flags: number;
  /** @internal */
  private _rare: Rare | undefined = undefined;
  // The live children: a list linked through `_next`, whose head keeps the tail in its `_prev`
  // (so appending and removing stay O(1) without a tail slot in every node).
  /** @internal */
  private _head: CancelNode | undefined = undefined;
  /** @internal */
  private _prev: CancelNode | undefined = undefined;
  /** @internal */
  private _next: CancelNode | undefined = undefined;
  // One waker, or the set of them once there are two (read only by this node's own methods).
  /** @internal */
  private _waker: CancelWaker | CancelWakeTarget | Wakers | undefined = undefined;

  constructor(parent: CancelNode | undefined, options?: CancelNodeOptions) {
    this.parent = parent;
    this._flags = options?.shield === true ? SHIELD : 0;
    this.kind = options?.kind ?? 'scope';
    this.name = options?.name ?? '';
    if (parent !== undefined) {
      const head = parent._head;
      if (head === undefined) {
        parent._head = this;
        this._prev = this;
      } else {
        const tail = head._prev!;
        tail._next = this;
        this._prev = tail;
        head._prev = this;
      }
      this._flags |= ATTACHED;
      if ((parent._flags & CANCELLED) !== 0 && (this._flags & SHIELD) === 0) {
        this._flags |= CANCELLED;
        this._rareState().reason = parent.reason;
      }
    }
  }

  /** `cancel()` was called on this node. */
  get cancelCalled(): boolean {
    return (this._flags & CANCEL_CALLED) !== 0;
  }

  /** Effectively cancelled: checkpoints in this node throw {@link CancelNode.reason}. */
  get cancelled(): boolean {
    return (this._flags & CANCELLED) !== 0;
  }

  /**
   * What checkpoints throw while cancelled: the reason of the outermost cancelled node whose
   * cancellation is visible here; `undefined` while not cancelled.
   */
  get reason(): unknown {
    return this._rare?.reason;
  }

  /** The reason given to this node's own `cancel()`; `undefined` before it is called. */
  get ownReason(): unknown {
    return this._rare?.ownReason;
  }

  /**
   * The scope or task this node stands for has exited ({@link CancelNode.detach} was called).
   * Code that still runs in it afterwards (a timer callback, a promise continuation) sees the
   * nearest enclosing node that has not exited as its ambient scope: see `currentNode()`.
   */
  get exited(): boolean {
    return (this._flags & EXITED) !== 0;
  }

  /** Whether the parent's cancellation is blocked. Changing it re-evaluates the subtree. */
  get shield(): boolean {
    return (this._flags & SHIELD) !== 0;
  }

  set shield(value: boolean) {
    if (((this._flags & SHIELD) !== 0) === value) return;
    this._flags ^= SHIELD;
    this._refresh();
  }

  /** The live child nodes (those not detached yet), as they are when called. */
  children(): IterableIterator<CancelNode> {
    const live: CancelNode[] = [];
    for (let child = this._head; child !== undefined; child = child._next) live.push(child);
    return live.values();
  }

  /**
   * An AbortSignal that aborts (with {@link CancelNode.reason}) when this node becomes
   * effectively cancelled. Created on first read.
   */
  get signal(): AbortSignal {
    const rare = this._rareState();
    let controller = rare.controller;
    if (controller === undefined) {
      controller = new AbortController();
      setMaxListeners(0, controller.signal);
      state.signals.set(controller.signal, this);
      if (this.cancelled) controller.abort(this.reason);
      rare.controller = controller;
    }
    return controller.signal;
  }

  /**
   * Cancels this node and, unless shielded, its descendants. Idempotent, synchronous, never
   * throws and is not a checkpoint.
   *
   * @param reason - what checkpoints throw; `undefined` becomes a `CancelledError`, a string
   * a `CancelledError` with that message
   */
  cancel(reason?: unknown): void {
    if ((this._flags & CANCEL_CALLED) !== 0) return;
    this._flags |= CANCEL_CALLED;
    const own = toCancelReason(reason);
    this._rareState().ownReason = own;
    if (typeof own === 'object' && own !== null) setOrigin(own, this);
    this._refresh();
  }

  /** Throws {@link CancelNode.reason} when effectively cancelled. */
  throwIfCancelled(): void {
    if ((this._flags & CANCELLED) !== 0) throw this._rare!.reason;
  }

  /**
   * Registers `waker` to be called once when this node becomes effectively cancelled (for a
   * {@link CancelWakeTarget}: its `wake` method). Call {@link CancelNode.offCancel} when the
   * operation settles. Wakers of a node that is already cancelled are not called: check
   * `cancelled` first.
   */
  onCancel(waker: CancelWaker | CancelWakeTarget): void {
    const current = this._waker;
    if (current === undefined) this._waker = waker;
    else if (current instanceof Wakers) current.add(waker);
    else {
      const wakers = new Wakers();
      wakers.add(current);
      wakers.add(waker);
      this._waker = wakers;
    }
  }

  /** Removes a waker registered with {@link CancelNode.onCancel}. */
  offCancel(waker: CancelWaker | CancelWakeTarget): void {
    const current = this._waker;
    if (current === waker) this._waker = undefined;
    else if (current instanceof Wakers) current.delete(waker);
  }

  /** Runs `fn` with this node as the ambient scope of everything it starts. */
  run<R>(fn: () => R): R {
    return storage().run(this, fn);
  }

  /**
   * Marks the node exited (see {@link CancelNode.exited}) and removes it from its parent: it
   * no longer receives the parent's cancellation. Idempotent.
   */
  detach(): void {
    const flags = this._flags;
    if ((flags & ATTACHED) === 0) {
      this._flags = flags | EXITED;
      return;
    }
    this._flags = (flags & ~ATTACHED) | EXITED;
    const parent = this.parent!;
    const head = parent._head!;
    const prev = this._prev!;
    const next = this._next;
    if (this === head) {
      // The new head, if any, takes over the tail.
      parent._head = next;
      if (next !== undefined) next._prev = prev;
    } else {
      prev._next = next;
      if (next === undefined) head._prev = prev;
      else next._prev = prev;
    }
    this._prev = undefined;
    this._next = undefined;
  }

  /** True when this node is `ancestor` or lies below it. */
  isWithin(ancestor: CancelNode): boolean {
    for (let node: CancelNode | undefined = this; node !== undefined; node = node.parent) {
      if (node === ancestor) return true;
    }
    return false;
  }

  /**
   * The catch rule (trio's): whether a scope built on this node swallows `error` when it
   * leaves the scope. It does when this node was cancelled itself, the parent's cancellation
   * is not visible here (parent not cancelled, or this node shielded), and `error` is a
   * cancellation that came from this node or a node below it: its reason itself, or a Node
   * `AbortError` whose `cause` is that reason. Foreign aborts never match.
   *
   * An `ExceptionGroup` matches when every member matches, and so does the `SuppressedError`
   * of an `await using` block whose body and disposal both ended with this node's
   * cancellation (`error` and `suppressed` both match).
   */
  swallows(error: unknown): boolean {
    if (!this.cancelCalled || this.parentCancellationVisible()) return false;
    return this._matches(error);
  }

  /** @internal */
  private _matches(error: unknown): boolean {
    if (error instanceof ExceptionGroup) {
      return error.errors.length > 0 && error.errors.every((member) => this._matches(member));
    }
    if (isSuppressedError(error))
      return this._matches(error.error) && this._matches(error.suppressed);
    return this.isOwnCancellation(error);
  }

  /** Whether `error` is a cancellation reason introduced by this node or one below it. */
  isOwnCancellation(error: unknown): boolean {
    const reason = reasonOf(error);
    if (reason === this.ownReason) return true;
    if (typeof reason !== 'object' || reason === null) return false;
    const origin = originOf(reason) as CancelNode | undefined;
    return typeof origin?.isWithin === 'function' && origin.isWithin(this);
  }

  /** The parent is effectively cancelled and this node is not shielded from it. */
  parentCancellationVisible(): boolean {
    return this.parent?.cancelled === true && (this._flags & SHIELD) === 0;
  }

  /** Recomputes the effective state of this node and pushes changes down the subtree. */
  /** @internal */
  private _refresh(): void {
    const stack: CancelNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const flags = node._flags;
      const visible =
        (flags & (ATTACHED | SHIELD)) === ATTACHED && (node.parent!._flags & CANCELLED) !== 0;
      const cancelCalled = (flags & CANCEL_CALLED) !== 0;
      const cancelled = visible || cancelCalled;
      const rare = node._rare;
      const reason = visible ? node.parent!.reason : cancelCalled ? rare!.ownReason : undefined;
      const wasCancelled = (flags & CANCELLED) !== 0;
      if (cancelled === wasCancelled && reason === rare?.reason) continue;
      node._flags = cancelled ? flags | CANCELLED : flags & ~CANCELLED;
      if (rare !== undefined) rare.reason = reason;
      else node._rareState().reason = reason;
      if (cancelled && !wasCancelled) node._wake();
      else if (!cancelled && rare?.controller?.signal.aborted) rare.controller = undefined;
      for (let child = node._head; child !== undefined; child = child._next) stack.push(child);
    }
  }

  /** @internal */
  private _wake(): void {
    const rare = this._rare!;
    const reason = rare.reason;
    rare.controller?.abort(reason);
    const waker = this._waker;
    if (waker === undefined) return;
    this._waker = undefined;
    if (waker instanceof Wakers) for (const w of waker) callWaker(w, reason);
    else callWaker(waker, reason);
  }

  /** The out-of-line state, created on first use. @internal */
  private _rareState(): Rare {
    let rare = this._rare;
    if (rare === undefined) {
      rare = { reason: undefined, ownReason: undefined, controller: undefined };
      this._rare = rare;
    }
    return rare;
  }
}

// The bits of `_flags`.
const CANCEL_CALLED = 1;
const CANCELLED = 2;
const SHIELD = 4;
const ATTACHED = 8;
const EXITED = 16;

/**
 * What a node keeps out of line: its effective reason while cancelled, the reason given to
 * its own `cancel()`, and the controller behind `signal`. Every copy of core makes it with the
 * same literal, so the objects share one shape.
 */
interface Rare {
  reason: unknown;
  ownReason: unknown;
  controller: AbortController | undefined;
}

/** The wakers of a node that has more than one. */
class Wakers extends Set<CancelWaker | CancelWakeTarget> {}

// The node whose cancel() introduced a reason is kept on the reason itself, in a hidden
// (non-enumerable) property that every copy of core agrees on: unlike an entry in a WeakMap,
// it costs no table that keeps the capacity of its peak between collections when many
// scopes are cancelled (a deadline per request). Frozen reasons go to the shared WeakMap.
const ORIGIN = Symbol.for('@aiotools/core.origin');

function setOrigin(reason: object, node: CancelNode): void {
  if (Object.hasOwn(reason, ORIGIN)) (reason as Record<symbol, unknown>)[ORIGIN] = node;
  else if (Object.isExtensible(reason))
    Object.defineProperty(reason, ORIGIN, { value: node, writable: true, configurable: true });
  else state.origins.set(reason, node);
}

function originOf(reason: object): SharedNode | undefined {
  return (reason as Record<symbol, SharedNode | undefined>)[ORIGIN] ?? state.origins.get(reason);
}

function isSuppressedError(error: unknown): error is { error: unknown; suppressed: unknown } {
  // SuppressedError is global from Node 24 only; `await using` (TypeScript's downlevel helper
  // included) builds one with `name` 'SuppressedError' and both fields everywhere.
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'SuppressedError' &&
    'error' in error &&
    'suppressed' in error
  );
}

function callWaker(waker: CancelWaker | CancelWakeTarget, reason: unknown): void {
  try {
    if (typeof waker === 'function') waker(reason);
    else waker.wake(reason);
  } catch (error) {
    // A waker must not break the propagation to its siblings; surface the bug instead.
    queueMicrotask(() => {
      throw error;
    });
  }
}
