import { CancelledError, currentClock, currentNode, type Task, TimeoutError } from '@aiotools/core';
import {
  invalidType,
  validateBoolean,
  validateDuration,
  validateFunction,
  validateOptions,
  validateString,
} from '@aiotools/core/internal';
import { type ExceptionHandler, reportTaskError } from './exception-handler.js';
import { type ChildSettled, ScopeNode } from './scope-node.js';
import { scopeState } from './shared-state.js';
import type { TaskFn } from './task-fn.js';
import type { SpawnOptions } from './task-group.js';
import { REJECTED } from './task-handle.js';

/** Options of {@link TaskScope}. */
export interface TaskScopeOptions {
  /** Blocks the cancellation of enclosing scopes from the body and the children. @default false */
  readonly shield?: boolean | undefined;
  /**
   * Milliseconds after which the body and the children are cancelled and the scope throws
   * `TimeoutError`; enforced even when shielded. @default none
   */
  readonly timeout?: number | undefined;
  /**
   * Receives each child failure; `null` drops them.
   * @default a process warning (`process.emitWarning`, type `'TaskError'`) naming the task
   */
  readonly exceptionHandler?: ExceptionHandler | null | undefined;
  /** A name for diagnostics and `formatTaskTree()`. @default `'TaskScope-<n>'` */
  readonly name?: string | undefined;
}

/**
 * Where a {@link TaskScope} (or {@link Supervisor}) is: `'open'`; `'aborted'` (`abort()` was
 * called: the children were cancelled, no new one can be spawned, the body goes on);
 * `'cancelled'` (the scope itself was cancelled: by its timeout, `aclose()` or an enclosing
 * scope); `'closed'` (it has exited).
 *
 * @example
 * ```ts
 * import { TaskScope, type TaskScopeState } from '@aiotools/scope';
 *
 * await TaskScope.run((ts) => {
 *   ts.abort();
 *   const state: TaskScopeState = ts.state; // 'aborted'
 *   console.log(state);
 * });
 * ```
 */
export type TaskScopeState = 'open' | 'aborted' | 'cancelled' | 'closed';

// Set in the class's static block, which may reach its private members.
let bodyDone: (scope: TaskScope, failed: boolean, value: unknown) => void;
let reportChildFailure: ChildSettled;

/**
 * A scope whose children run to completion (aiotools' `TaskScope`): a failing child cancels
 * nothing; its error goes to the `exceptionHandler` and is neither stored nor thrown at exit.
 * An error of the body cancels the children, waits for them and is rethrown.
 *
 * Use {@link TaskScope.run} to run a body inside the scope (its `shield` and `timeout` then
 * cover the body too), or `await using ts = new TaskScope()`: disposal waits for the children.
 *
 * When an enclosing scope is cancelled, the children are cancelled (unless shielded) and the
 * scope throws that cancellation at exit once they have settled, as aiotools does; a
 * shielded scope inside a cancelled one finishes its work and then throws it.
 *
 * @example
 * ```ts
 * import { TaskScope } from '@aiotools/scope';
 *
 * await TaskScope.run(async (ts) => {
 *   for (const url of urls) ts.spawn(() => fetch(url));
 * }, { timeout: 5_000 });
 * ```
 */
export class TaskScope implements AsyncDisposable {
  /** The name given in the options, or `TaskScope-<n>` (`Supervisor-<n>`). */
  readonly name: string;
  readonly #node: ScopeNode;
  readonly #handler: ExceptionHandler | null | undefined;
  #timer: (() => void) | undefined = undefined;
  #timedOut = false;
  #aborted = false;
  #closed = false;
  #running = false;
  // The functions that settle the promise of `run()`.
  #resolve: ((value: unknown) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;

  /**
   * Opens a scope in the current ambient scope; its timeout starts now.
   *
   * @throws TypeError/RangeError for bad options
   */
  constructor(options?: TaskScopeOptions) {
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    const shield = options?.shield ?? false;
    validateBoolean(shield, 'options.shield');
    const timeout = options?.timeout;
    if (timeout !== undefined) validateDuration(timeout, 'options.timeout');
    const handler = options?.exceptionHandler;
    if (handler !== undefined && handler !== null && typeof handler !== 'function')
      throw invalidType('options.exceptionHandler', 'a function or null', handler);
    this.#handler = handler;
    this.name = options?.name ?? `${new.target.name}-${++scopeState.counters.taskScope}`;
    this.#node = new ScopeNode(currentNode(), {
      owner: this,
      kind: kindOf(new.target),
      name: this.name,
      shield,
      childSettled: reportChildFailure,
    });
    if (timeout !== undefined) {
      const clock = currentClock();
      const timer = clock.setTimer(() => this.#onTimeout(), timeout);
      this.#timer = () => clock.clearTimer(timer);
    }
  }

  /**
   * Opens a scope, runs `fn` in it, then waits for every child.
   *
   * @returns the body's value
   * @throws the body's error (after the children were cancelled and awaited); `TimeoutError`
   * when the timeout expired; the enclosing scope's cancellation when it was cancelled.
   * Validation errors as rejections.
   */
  static run<T, S extends TaskScope>(
    this: new (
      options?: TaskScopeOptions,
    ) => S,
    fn: (ts: S) => Promise<T> | T,
    options?: TaskScopeOptions,
  ): Promise<T> {
    let scope: S;
    try {
      validateFunction(fn, 'fn');
      scope = new this(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return scope.#run(fn as (ts: TaskScope) => unknown) as Promise<T>;
  }

  /** Aborts when the scope is cancelled: by its timeout, `aclose()` or an enclosing scope. */
  get signal(): AbortSignal {
    return this.#node.signal;
  }

  /** Live child tasks (nested scopes not counted). */
  get size(): number {
    return this.#node.pending;
  }

  /** `'open'`, `'aborted'`, `'cancelled'` or `'closed'`: see {@link TaskScopeState}. */
  get state(): TaskScopeState {
    if (this.#closed) return 'closed';
    if (this.#node.cancelled) return 'cancelled';
    return this.#aborted ? 'aborted' : 'open';
  }

  /**
   * Starts `fn` as a child; its body runs after `spawn` returns, in the async context of this
   * call (every `AsyncLocalStorage` and `ContextVar` as they are here).
   *
   * @throws Error after `abort()`/`aclose()` or once the scope has exited
   */
  spawn<T>(fn: TaskFn<T>, options?: SpawnOptions): Task<T> & AsyncDisposable {
    validateFunction(fn, 'fn');
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    if (this.#closed)
      throw new Error(
        `${this.constructor.name} "${this.name}" has exited: no new tasks can be started`,
      );
    if (this.#aborted)
      throw new Error(
        `${this.constructor.name} "${this.name}" is shutting down: no new tasks can be started`,
      );
    return this.#node.spawn(fn, options?.name);
  }

  /** Cancels every child without waiting; the body goes on. No new child can be spawned. */
  abort(reason?: unknown): void {
    this.#aborted = true;
    this.#node.cancelChildren(reason);
  }

  /**
   * Cancels the children and the body, and waits for the children to settle. A scope that
   * runs no body (`new TaskScope()`) is then closed: its timer and node are released.
   */
  async aclose(reason?: unknown): Promise<void> {
    const why = reason ?? new CancelledError(`${this.constructor.name} "${this.name}" was closed`);
    this.abort(why);
    this.#node.cancel(why);
    const idle = this.#node.join();
    if (idle !== undefined) await idle;
    if (!this.#running && !this.#closed) this.#close();
  }

  /**
   * Waits for every child, then closes the scope (`await using` exit).
   *
   * @throws TimeoutError when the scope's timeout expired; the enclosing scope's cancellation
   * when it was cancelled before the scope exited (as {@link TaskScope.run} does)
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    const idle = this.#node.join();
    if (idle !== undefined) await idle;
    this.#close();
    if (this.#timedOut) throw new TimeoutError(`${this.constructor.name} "${this.name}" timed out`);
    const parent = this.#node.parent;
    if (parent?.cancelled) throw parent.reason;
  }

  #onTimeout(): void {
    this.#timer = undefined;
    this.#timedOut = true;
    this.#node.cancel(new CancelledError(`${this.constructor.name} "${this.name}" timed out`));
  }

  #close(): void {
    this.#closed = true;
    this.#timer?.();
    this.#timer = undefined;
    this.#node.close();
  }

  // Written without async/await or closures, as `CancelScope.run`: a scope per request then
  // costs no function object besides its promise's own while its body runs.
  #run(fn: (ts: TaskScope) => unknown): Promise<unknown> {
    this.#running = true;
    const promise = new Promise<unknown>(capture);
    this.#resolve = captured.resolve;
    this.#reject = captured.reject;
    let result: unknown;
    try {
      bodyScope = this;
      bodyFn = fn;
      result = this.#node.run(runBody);
    } catch (error) {
      this.#bodyDone(true, error);
      return promise;
    }
    if (result === WATCHED) return promise;
    if (typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
      // A foreign thenable: it may call back in any context, so it gets closures of its own.
      (result as PromiseLike<unknown>).then(
        (value) => this.#bodyDone(false, value),
        (error: unknown) => this.#bodyDone(true, error),
      );
    } else this.#bodyDone(false, result);
    return promise;
  }

  /** The body has settled: an error cancels the children; then wait for them, then finish. */
  #bodyDone(failed: boolean, value: unknown): void {
    if (failed) this.abort();
    const idle = this.#node.join();
    if (idle === undefined) this.#finish(failed, value);
    else idle.then(() => this.#finish(failed, value));
  }

  #finish(failed: boolean, value: unknown): void {
    const resolve = this.#resolve!;
    const reject = this.#reject!;
    this.#resolve = undefined;
    this.#reject = undefined;
    this.#close();
    const node = this.#node;
    if (failed) {
      reject(
        this.#timedOut
          ? new TimeoutError(`${this.constructor.name} "${this.name}" timed out`, { cause: value })
          : value,
      );
    } else if (this.#timedOut)
      reject(new TimeoutError(`${this.constructor.name} "${this.name}" timed out`));
    else if (node.cancelCalled) reject(node.ownReason);
    else if (node.parent?.cancelled) reject(node.parent.reason);
    else resolve(value);
  }

  static {
    bodyDone = (scope, failed, value) => scope.#bodyDone(failed, value);
    reportChildFailure = (task, settlement, error, owner) => {
      if (settlement !== REJECTED) return;
      const scope = owner as TaskScope;
      reportTaskError(
        scope.#handler,
        `Task "${task.name}" failed in ${scope.constructor.name} "${scope.name}"`,
        error,
        task,
      );
    };
  }
}

// The scope and body of the `run()` call that is entering its node, read by `runBody`.
let bodyScope: TaskScope | undefined;
let bodyFn: ((ts: TaskScope) => unknown) | undefined;

// What `runBody` returns when it has subscribed to the body's promise.
const WATCHED: unique symbol = Symbol('watched');
const promiseThen = Promise.prototype.then;

/**
 * Calls the body in the scope's node (`node.run(runBody)` after setting `bodyScope` and
 * `bodyFn`: no closure per run). A native promise it returns is subscribed to here, in
 * the node's context, where the two shared reactions find the scope again (the node's owner).
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
    (currentNode() as ScopeNode | undefined)?.owner === scope
  ) {
    result.then(onBodyFulfilled, onBodyRejected);
    return WATCHED;
  }
  return result;
}

function onBodyFulfilled(value: unknown): void {
  bodyDone((currentNode() as ScopeNode).owner as TaskScope, false, value);
}

function onBodyRejected(error: unknown): void {
  bodyDone((currentNode() as ScopeNode).owner as TaskScope, true, error);
}

// `new Promise(capture)` hands its settling functions over without a closure per promise.
const captured: {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
} = { resolve: () => undefined, reject: () => undefined };

function capture(resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}

// Outside the class body: a class that names itself in its body is renamed by the bundler.
function kindOf(target: Function): string {
  return target === TaskScope ? 'taskscope' : 'supervisor';
}
