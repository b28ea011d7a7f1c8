import { CancelledError, currentNode, ExceptionGroup, type Task } from '@aiotools/core';
import { validateFunction, validateOptions, validateString } from '@aiotools/core/internal';
import { ScopeNode } from './scope-node.js';
import { scopeState } from './shared-state.js';
import type { TaskFn } from './task-fn.js';
import {
  FULFILLED,
  isCancellationOf,
  REJECTED,
  type Settlement,
  type TaskHandle,
  type TaskOwner,
} from './task-handle.js';

/** Options of {@link TaskGroup.run}. */
export interface TaskGroupOptions {
  /** A name for diagnostics and `formatTaskTree()`. @default `'TaskGroup-<n>'` */
  readonly name?: string | undefined;
}

/** Options of {@link TaskGroup.spawn} and {@link TaskGroup.start}. */
export interface SpawnOptions {
  /** The task's name. @default `'Task-<n>'` */
  readonly name?: string | undefined;
}

/** The body of {@link TaskGroup.start}: call `started(value)` once it is ready. */
export type StartFn<T> = (
  signal: AbortSignal,
  started: (value?: T) => void,
) => Promise<unknown> | unknown;

/**
 * Where a {@link TaskGroup} is: `'open'` (its body or its children are running), `'cancelled'`
 * (still open, but cancelled: by `cancel()`, a failure or an enclosing scope) or `'closed'`
 * (every child has settled and `run` has returned or thrown).
 *
 * @example
 * ```ts
 * import { TaskGroup, type TaskGroupState } from '@aiotools/scope';
 *
 * await TaskGroup.run((tg) => {
 *   const before: TaskGroupState = tg.state; // 'open'
 *   tg.cancel();
 *   console.log(before, tg.state); // open cancelled
 * });
 * ```
 */
export type TaskGroupState = 'open' | 'cancelled' | 'closed';

/**
 * A fail-fast group of concurrent tasks, with the semantics of asyncio's `TaskGroup`, anyio's
 * task group and trio's nursery. Open one with {@link TaskGroup.run}: the body spawns children;
 * the group returns only when every child has settled.
 *
 * - The first failure (not a cancellation) of a child or of the body cancels the group: the
 *   body and every other child see the cancellation at their next checkpoint.
 * - At exit the group throws one `ExceptionGroup` holding every failure, the body's included,
 *   with cancellations filtered out — also when an enclosing scope was cancelled meanwhile.
 * - Children live in the group's scope, not in the spawner's: a `CancelScope` around a
 *   `spawn()` call does not apply to the child.
 * - A cancellation that the group itself caused (by `cancel()`) and that ends the body is
 *   swallowed: `run` then resolves with `undefined`. The cancellation of an enclosing scope
 *   is never swallowed: when it arrives while the group waits for its children (or at any
 *   time before the group exits), `run` throws it after the children have settled, even when
 *   the body had returned a value.
 *
 * @example
 * ```ts
 * import { TaskGroup } from '@aiotools/scope';
 * import { sleep } from '@aiotools/core';
 *
 * await TaskGroup.run(async (tg) => {
 *   const a = tg.spawn(async () => { await sleep(10); return 'a'; }, { name: 'a' });
 *   tg.spawn(async () => { await sleep(20); });
 *   console.log(await a); // 'a'
 * });
 * ```
 */
export class TaskGroup {
  /** The name given to `run`, or `TaskGroup-<n>`. */
  readonly name: string;
  readonly #node: ScopeNode;
  #errors: unknown[] | undefined = undefined;
  #closed = false;

  private constructor(name: string | undefined) {
    this.name = name ?? `TaskGroup-${++scopeState.counters.taskGroup}`;
    this.#node = new ScopeNode(currentNode(), {
      owner: this,
      kind: 'taskgroup',
      name: this.name,
      childSettled: (_task, settlement, error) => {
        if (settlement === REJECTED) this.#fail(error);
      },
    });
  }

  /**
   * Opens a group, runs `fn` in it and waits for every child.
   *
   * @param fn - the body; it receives the group
   * @param options - `name`
   * @returns the body's value; `undefined` when the group's own `cancel()` ended the body
   * @throws ExceptionGroup of every failure of the body and the children (cancellations left
   * out; each error once, also when the body rethrows a child's error); otherwise the
   * cancellation of an enclosing scope, when one was cancelled before the group exited. Validation
   * errors (TypeError) as rejections.
   */
  static async run<T>(
    fn: (tg: TaskGroup) => Promise<T> | T,
    options?: TaskGroupOptions,
  ): Promise<T | undefined> {
    validateFunction(fn, 'fn');
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    return new this(options?.name).#run(fn);
  }

  /** Aborts when the group is cancelled (created on first read). */
  get signal(): AbortSignal {
    return this.#node.signal;
  }

  /** Live child tasks (nested scopes not counted). */
  get size(): number {
    return this.#node.pending;
  }

  /** `'open'`, `'cancelled'` (open, cancelled) or `'closed'`: see {@link TaskGroupState}. */
  get state(): TaskGroupState {
    return this.#closed ? 'closed' : this.#node.cancelled ? 'cancelled' : 'open';
  }

  /**
   * Starts `fn` as a child. The body runs after `spawn` returns (in a microtask), even when
   * the group is already cancelled: it then meets the cancellation at its first checkpoint.
   * It runs in the async context of this call: every `AsyncLocalStorage` and `ContextVar`
   * has the value current here.
   *
   * @throws Error when the group has exited; TypeError for a bad argument
   */
  spawn<T>(fn: TaskFn<T>, options?: SpawnOptions): Task<T> & AsyncDisposable {
    validateFunction(fn, 'fn');
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    this.#checkOpen();
    return this.#node.spawn(fn, options?.name);
  }

  /**
   * Starts `fn` as a child and waits until it calls `started(value)`, then returns `value`
   * (trio's `nursery.start`). Before `started()` an error of the child is thrown here and not
   * reported to the group, and a cancellation of the caller cancels the child, waits for it
   * and is rethrown; after `started()` the child belongs to the group like a spawned one.
   *
   * @throws Error when the child returns without calling `started()`, or the group has
   * exited; the child's error when it failed before `started()`
   */
  start<T = undefined>(fn: StartFn<T>, options?: SpawnOptions): Promise<T> {
    try {
      validateFunction(fn, 'fn');
      validateOptions(options, 'options');
      validateString(options?.name, 'options.name');
      this.#checkOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const node = this.#node;
    return new Promise<T>((resolve, reject) => {
      const starter = new Starter<T>(node, resolve, reject);
      const task = node.spawn(
        (signal) => fn(signal, (value?: T) => starter.started(value)),
        options?.name,
        starter,
      );
      starter.watch(task);
    });
  }

  /** Cancels the group: the body and every child. Idempotent, synchronous, not a checkpoint. */
  cancel(reason?: unknown): void {
    this.#node.cancel(reason);
  }

  #checkOpen(): void {
    if (this.#closed)
      throw new Error(`TaskGroup "${this.name}" has exited: no new tasks can be started`);
  }

  #fail(error: unknown): void {
    // The body often rethrows a child's error (`await task`): one error is reported once.
    const errors = (this.#errors ??= []);
    if (!errors.includes(error)) errors.push(error);
    if (!this.#node.cancelCalled) {
      this.#node.cancel(
        new CancelledError(`TaskGroup "${this.name}" was cancelled because a task failed`),
      );
    }
  }

  async #run<T>(fn: (tg: TaskGroup) => Promise<T> | T): Promise<T | undefined> {
    const node = this.#node;
    let value: T | undefined;
    let failed = false;
    let bodyError: unknown;
    try {
      value = await node.run(() => fn(this));
    } catch (error) {
      failed = true;
      bodyError = error;
      if (isCancellationOf(node, error)) node.cancel();
      else this.#fail(error);
    }
    const idle = node.join();
    if (idle !== undefined) await idle;
    this.#closed = true;
    node.close();
    if (this.#errors !== undefined) {
      throw new ExceptionGroup(this.#errors, `Unhandled errors in TaskGroup "${this.name}"`);
    }
    if (failed) {
      if (node.swallows(bodyError)) return undefined;
      throw bodyError;
    }
    // The body returned, but an enclosing scope was cancelled (typically while the group was
    // waiting for its children): the exit is a checkpoint, so that cancellation goes on out.
    if (node.parentCancellationVisible()) throw node.reason;
    return value;
  }
}

/** Routes a `start()`ed child to its caller until it calls `started()`. */
class Starter<T> implements TaskOwner {
  readonly #group: ScopeNode;
  readonly #resolve: (value: T) => void;
  readonly #reject: (error: unknown) => void;
  #started = false;
  #task: TaskHandle<unknown> | undefined = undefined;
  readonly #caller = currentNode();
  #callerReason: unknown = undefined;
  readonly #onCallerCancel = (reason: unknown) => {
    this.#callerReason = reason;
    this.#task?.cancel();
  };

  constructor(group: ScopeNode, resolve: (value: T) => void, reject: (error: unknown) => void) {
    this.#group = group;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  watch(task: TaskHandle<unknown>): void {
    this.#task = task;
    const caller = this.#caller;
    if (caller === undefined) return;
    if (caller.cancelled) this.#onCallerCancel(caller.reason);
    else caller.onCancel(this.#onCallerCancel);
  }

  started(value: T | undefined): void {
    if (this.#started) throw new Error('started() was called twice for the same task');
    if (this.#task?.done) return;
    this.#started = true;
    this.#caller?.offCancel(this.#onCallerCancel);
    this.#resolve(value as T);
  }

  taskDone(task: TaskHandle<unknown>, settlement: Settlement, error: unknown): void {
    if (this.#started) {
      this.#group.taskDone(task, settlement, error);
      return;
    }
    this.#caller?.offCancel(this.#onCallerCancel);
    // Before started() the outcome belongs to the caller, not the group.
    this.#group.taskDone(task, FULFILLED, undefined);
    // A failure of the child wins over the caller's cancellation, as in cancelAndWait.
    if (settlement === REJECTED) this.#reject(error);
    else if (this.#callerReason !== undefined) this.#reject(this.#callerReason);
    else if (settlement !== FULFILLED) this.#reject(error);
    else this.#reject(new Error(`Task "${task.name}" exited without calling started()`));
  }
}
