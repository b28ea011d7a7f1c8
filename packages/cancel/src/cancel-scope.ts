import {
  CancelledError,
  CancelNode,
  type CancelNodeOptions,
  type Clock,
  currentClock,
  currentNode,
  ExceptionGroup,
  realClock,
} from '@aiotools/core';
import {
  toCancelReason,
  validateBoolean,
  validateDeadline,
  validateFunction,
  validateOptions,
  validateString,
} from '@aiotools/core/internal';
import { type DeadlineEntry, realDeadlines } from './real-deadlines.js';

/** Options of {@link CancelScope}. */
export interface CancelScopeOptions {
  /**
   * When the scope cancels itself: an absolute time of `currentClock().now()` in ms.
   * `Infinity` means no deadline; a time already past cancels the scope as soon as it runs.
   * @default Infinity
   */
  readonly deadline?: number | undefined;
  /** Block the cancellation of the enclosing scopes (not the scope's own). @default false */
  readonly shield?: boolean | undefined;
  /** A name for diagnostics and for the deadline's error message. @default '' */
  readonly name?: string | undefined;
}

type Phase = 'idle' | 'running' | 'done';

const CANCEL_SCOPE_NODE = { kind: 'cancel-scope' } as const;

/**
 * The node of a running scope; the shared reactions below find the scope through it. It is also
 * the scope's entry in the queue of deadlines on the real clock.
 */
class CancelScopeNode extends CancelNode implements DeadlineEntry {
  readonly scope: CancelScope;
  at = Number.POSITIVE_INFINITY;
  index = -1;
  seq = 0;

  constructor(parent: CancelNode | undefined, options: CancelNodeOptions, scope: CancelScope) {
    super(parent, options);
    this.scope = scope;
  }

  expire(): void {
    expireScope(this.scope);
  }
}

// What `#timer` holds while the deadline waits in the queue of `realDeadlines`.
const QUEUED: unique symbol = Symbol('queued');

// The scope and body of the `run()` call that is entering its node, read by `runBody`.
let bodyScope: CancelScope | undefined;
let bodyFn: ((scope: CancelScope) => unknown) | undefined;

// What `runBody` returns when it has subscribed to the body's promise.
const WATCHED: unique symbol = Symbol('watched');
const promiseThen = Promise.prototype.then;

// Set in the class's static block, which may reach its private members.
let settleScope: (scope: CancelScope, failed: boolean, value: unknown) => void;
let expireScope: (scope: CancelScope) => void;

/**
 * Calls the body in the scope's node (`node.run(runBody)` after setting `bodyScope` and
 * `bodyFn`: no closure per run). A native promise it returns is subscribed to here, in
 * the node's context, where the two shared reactions find the node again (`currentNode()`):
 * no closure per run. A reaction runs before anything can detach the node.
 */
function runBody(): unknown {
  // Taken before the body runs: a nested run() sets them again.
  const scope = bodyScope!;
  const fn = bodyFn!;
  bodyScope = undefined;
  bodyFn = undefined;
  const result = fn(scope);
  if (
    result instanceof Promise &&
    result.then === promiseThen &&
    (currentNode() as CancelScopeNode | undefined)?.scope === scope
  ) {
    result.then(onBodyFulfilled, onBodyRejected);
    return WATCHED;
  }
  return result;
}

function onBodyFulfilled(value: unknown): void {
  settleScope((currentNode() as CancelScopeNode).scope, false, value);
}

function onBodyRejected(error: unknown): void {
  settleScope((currentNode() as CancelScopeNode).scope, true, error);
}

// `new Promise(capture)` hands its settling functions over without a closure per promise.
const captured: {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
} = { resolve: () => undefined, reject: () => undefined };

function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  captured.resolve = resolve as (value: unknown) => void;
  captured.reject = reject;
}

function isOwn(node: CancelNode, error: unknown): boolean {
  if (error instanceof ExceptionGroup) {
    return error.errors.length > 0 && error.errors.every((member) => isOwn(node, member));
  }
  return error !== undefined && node.isOwnCancellation(error);
}

/**
 * A region of code that can be cancelled as a whole: trio's and anyio's cancel scope.
 *
 * `run(fn)` runs `fn` as a child of the ambient scope (the scope, task group or task around the
 * caller). Every `@aiotools` waiting call inside it — `sleep`, `checkpoint`, queue and lock waits,
 * nested scopes and tasks — rejects with the scope's reason once the scope is cancelled, by
 * {@link CancelScope.cancel}, by its {@link CancelScope.deadline}, or because an enclosing scope
 * was cancelled while this one is not shielded. Cancellation is level-triggered: every later
 * checkpoint inside throws again.
 *
 * When the cancellation leaves `fn`, the scope decides who handles it (trio's rule): it
 * swallows the cancellation — `run` resolves to `undefined` and `cancelledCaught` becomes true —
 * only when the scope itself was cancelled (or its deadline passed) and the cancellation of the
 * enclosing scope is not visible to it (that scope is not cancelled, or this one is shielded).
 * Otherwise the error passes on, so the outermost cancelled scope catches it. Errors that are not
 * this scope's cancellation — a foreign `AbortError`, a `TimeoutError`, an error thrown in
 * cleanup — always pass through.
 *
 * A scope is single-use. It may be cancelled and given a deadline before it runs; both take
 * effect when it starts. The deadline timer runs on {@link currentClock} and is cleared when the
 * scope exits.
 *
 * @example
 * ```ts
 * import { CancelScope } from '@aiotools/cancel';
 * import { currentClock, sleep } from '@aiotools/core';
 *
 * const scope = new CancelScope({ deadline: currentClock().now() + 1_000 });
 * const value = await scope.run(async () => {
 *   await sleep(5_000);
 *   return 'slept';
 * });
 * console.log(value, scope.cancelledCaught); // undefined true
 * ```
 */
export class CancelScope {
  #phase: Phase = 'idle';
  #node: CancelScopeNode | undefined = undefined;
  #deadline: number;
  #shield: boolean;
  readonly #name: string;
  #cancelCalled = false;
  #reason: unknown = undefined;
  #deadlineExpired = false;
  #cancelledCaught = false;
  #clock: Clock | undefined = undefined;
  #timer: unknown = undefined;
  // The functions that settle the promise of a running `run()` whose body is asynchronous.
  #resolve: ((value: unknown) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;

  /**
   * @param options - `deadline` (absolute ms on the current clock, default `Infinity`),
   * `shield` (default `false`), `name` (default `''`)
   * @throws TypeError for options of the wrong type; RangeError for a NaN or `-Infinity` deadline
   */
  constructor(options?: CancelScopeOptions) {
    validateOptions(options, 'options');
    const deadline = options?.deadline ?? Number.POSITIVE_INFINITY;
    validateDeadline(deadline, 'options.deadline');
    validateBoolean(options?.shield, 'options.shield');
    const name = options?.name ?? '';
    validateString(name, 'options.name');
    this.#deadline = deadline;
    this.#shield = options?.shield ?? false;
    this.#name = name;
  }

  /** The name given at construction. */
  get name(): string {
    return this.#name;
  }

  /**
   * Runs `fn` inside the scope and waits for it. A synchronous throw of `fn` counts as a
   * rejection.
   *
   * @param fn - the body; receives the scope
   * @returns what `fn` returned, or `undefined` when the scope swallowed its own cancellation
   * (then {@link CancelScope.cancelledCaught} is true)
   * @throws whatever `fn` throws, except this scope's own cancellation; an `Error` (as a
   * rejection) when the scope was run before; TypeError when `fn` is not a function
   */
  run<T>(fn: (scope: CancelScope) => PromiseLike<T> | T): Promise<T | undefined> {
    try {
      validateFunction(fn, 'fn');
      if (this.#phase !== 'idle') {
        throw new Error(
          `This CancelScope${this.#name ? ` "${this.#name}"` : ''} has already been run; a cancel scope is single-use, create a new one`,
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    this.#phase = 'running';
    const shield = this.#shield;
    const name = this.#name;
    const node = new CancelScopeNode(
      currentNode(),
      shield || name !== '' ? { shield, kind: 'cancel-scope', name } : CANCEL_SCOPE_NODE,
      this,
    );
    this.#node = node;
    if (this.#cancelCalled) node.cancel(this.#reason);
    else this.#arm();
    // Written without async/await or closures: unwinding a cancelled scope then costs no thrown
    // exception, which matters when thousands of scopes unwind at once, and a scope per call
    // (a deadline per request) costs no function object besides its promise's own.
    let result: unknown;
    try {
      bodyScope = this;
      bodyFn = fn;
      result = node.run(runBody);
    } catch (error) {
      const promise = new Promise<T | undefined>(capture);
      this.#resolve = captured.resolve;
      this.#reject = captured.reject;
      this.#settle(true, error);
      return promise;
    }
    if (result === WATCHED) {
      // `runBody` subscribed to the body's promise in this node's context.
      const promise = new Promise<T | undefined>(capture);
      this.#resolve = captured.resolve;
      this.#reject = captured.reject;
      return promise;
    }
    if (typeof (result as { then?: unknown } | null)?.then !== 'function') {
      this.#exit(node);
      return Promise.resolve(result as T);
    }
    // A foreign thenable: it may call back in any context, so it gets closures of its own.
    const promise = new Promise<T | undefined>(capture);
    this.#resolve = captured.resolve;
    this.#reject = captured.reject;
    (result as PromiseLike<T>).then(
      (value) => this.#settle(false, value),
      (error: unknown) => this.#settle(true, error),
    );
    return promise;
  }

  #settle(failed: boolean, value: unknown): void {
    const node = this.#node!;
    const resolve = this.#resolve!;
    const reject = this.#reject!;
    this.#resolve = undefined;
    this.#reject = undefined;
    if (!failed) {
      this.#exit(node);
      resolve(value);
      return;
    }
    if (node.swallows(value)) {
      this.#cancelledCaught = true;
      this.#exit(node);
      resolve(undefined);
      return;
    }
    this.#exit(node);
    // This scope's own cancellation, overtaken by a visible outer one: what leaves the scope
    // is the outer cancellation (the enclosing scope that catches it accepts either).
    reject(
      value !== node.reason && node.parentCancellationVisible() && isOwn(node, value)
        ? node.reason
        : value,
    );
  }

  static {
    settleScope = (scope, failed, value) => scope.#settle(failed, value);
    expireScope = (scope) => scope.#deadlinePassed();
  }

  #exit(node: CancelNode): void {
    this.#disarm();
    node.detach();
    this.#phase = 'done';
  }

  /**
   * The AbortSignal of the running scope: it aborts, with the scope's reason, when the scope
   * becomes effectively cancelled (its own cancellation or a visible outer one). Pass it to
   * APIs that take a signal (`fetch`, streams); `@aiotools` calls inside the scope do not need
   * it.
   *
   * @throws Error when read before {@link CancelScope.run} started: the scope has no place in
   * the tree yet
   */
  get signal(): AbortSignal {
    if (this.#node === undefined) {
      throw new Error('CancelScope.signal is available once run() has started');
    }
    return this.#node.signal;
  }

  /**
   * Cancels the scope: every checkpoint inside it (and in its unshielded descendants) throws
   * `reason` from now on. Idempotent (the first reason is kept), synchronous, never throws and
   * is not a checkpoint: the caller continues until its next await of a cancellable operation.
   * Before `run()`, the cancellation takes effect when the scope starts.
   *
   * @param reason - `undefined` becomes a `CancelledError`, a string a `CancelledError` with
   * that message, anything else is kept as it is
   */
  cancel(reason?: unknown): void {
    if (this.#cancelCalled) return;
    this.#cancelCalled = true;
    this.#disarm();
    if (this.#node !== undefined) {
      this.#node.cancel(reason);
      this.#reason = this.#node.ownReason;
    } else {
      this.#reason = toCancelReason(reason);
    }
  }

  /**
   * The absolute time (on {@link currentClock}) when the scope cancels itself; `Infinity` means
   * none. Setting it while the scope runs reschedules the timer (later or earlier; a time
   * already past cancels now); setting it before `run()` applies at the start.
   *
   * @throws TypeError for a non-number; RangeError for NaN or `-Infinity`
   */
  get deadline(): number {
    return this.#deadline;
  }

  set deadline(value: number) {
    validateDeadline(value, 'deadline');
    this.#deadline = value;
    if (this.#phase !== 'running' || this.#cancelCalled) return;
    this.#disarm();
    this.#arm();
  }

  /**
   * Whether the cancellation of enclosing scopes is blocked. The scope's own `cancel()` and
   * deadline still apply. Settable at any time: unshielding a running scope whose enclosing
   * scope is cancelled makes the next checkpoint inside throw.
   */
  get shield(): boolean {
    return this.#shield;
  }

  set shield(value: boolean) {
    validateBoolean(value, 'shield');
    this.#shield = value;
    if (this.#node !== undefined && this.#phase === 'running') this.#node.shield = value;
  }

  /** True once `cancel()` was called or the deadline passed (while the scope ran). */
  get cancelCalled(): boolean {
    return this.#cancelCalled;
  }

  /** True when the scope swallowed its own cancellation at exit (`run` gave `undefined`). */
  get cancelledCaught(): boolean {
    return this.#cancelledCaught;
  }

  /**
   * True when the scope's cancellation came from its deadline: the deadline passed before any
   * `cancel()` call.
   */
  get deadlineExpired(): boolean {
    return this.#deadlineExpired;
  }

  /**
   * What the scope was cancelled with: the reason given to the first `cancel()`, or the
   * `CancelledError` of its deadline; `undefined` while not cancelled.
   */
  get reason(): unknown {
    return this.#reason;
  }

  #arm(): void {
    const deadline = this.#deadline;
    if (deadline === Number.POSITIVE_INFINITY) return;
    const clock = currentClock();
    const delay = deadline - clock.now();
    if (delay <= 0) {
      this.#expire();
      return;
    }
    this.#clock = clock;
    // On the real clock the deadline waits in the shared queue, behind one timer for all.
    if (clock === realClock && realDeadlines.available()) {
      realDeadlines.add(this.#node!, deadline);
      this.#timer = QUEUED;
      return;
    }
    this.#timer = clock.setTimer(() => this.#deadlinePassed(), delay);
  }

  #disarm(): void {
    const clock = this.#clock;
    if (clock === undefined) return;
    this.#clock = undefined;
    const timer = this.#timer;
    this.#timer = undefined;
    if (timer === QUEUED) realDeadlines.remove(this.#node!);
    else clock.clearTimer(timer);
  }

  /** The deadline's timer (its own, or the shared one of the real clock) has fired. */
  #deadlinePassed(): void {
    this.#clock = undefined;
    this.#timer = undefined;
    this.#expire();
  }

  #expire(): void {
    if (this.#cancelCalled) return;
    this.#deadlineExpired = true;
    const label = this.#name ? `Cancel scope "${this.#name}"` : 'The cancel scope';
    this.cancel(new CancelledError(`${label} exceeded its deadline`));
  }
}
