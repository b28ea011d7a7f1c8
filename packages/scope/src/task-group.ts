import { CancelledError, currentNode, ExceptionGroup, type Task } from '@aiotools/core';
import { validateFunction, validateOptions } from '@aiotools/core/internal';
import { ScopeNode } from './scope-node.js';
import type { TaskFn } from './task-fn.js';
import {
  FULFILLED,
  isCancellationOf,
  REJECTED,
  type Settlement,
  type TaskHandle,
  type TaskOwner,
} from './task-handle.js';
import { TaskHost } from './task-host.js';
import { validateName } from './validate-name.js';

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

let counter = 0;

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
export class TaskGroup extends TaskHost {
  /** @internal */
  readonly node: ScopeNode;
  readonly name: string;
  private _errors: unknown[] | undefined = undefined;
  private _closed = false;

  private constructor(name: string | undefined) {
    super();
    this.name = name ?? `TaskGroup-${++counter}`;
    this.node = new ScopeNode(currentNode(), this, 'taskgroup', this.name);
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
    validateName(options?.name, 'options.name');
    return new this(options?.name)._run(fn);
  }

  /** Aborts when the group is cancelled (created on first read). */
  get signal(): AbortSignal {
    return this.node.signal;
  }

  /** `'open'`, `'cancelled'` (open, cancelled) or `'closed'`. */
  get state(): string {
    return this._closed ? 'closed' : this.node.cancelled ? 'cancelled' : 'open';
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
    validateName(options?.name, 'options.name');
    this._checkOpen();
    return this._spawnTask(fn, options?.name);
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
      validateName(options?.name, 'options.name');
      this._checkOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const starter = new Starter<T>(this, resolve, reject);
      const task = this._spawnTask(
        (signal) => fn(signal, (value?: T) => starter.started(value)),
        options?.name,
        starter,
      );
      starter.watch(task);
    });
  }

  /** Cancels the group: the body and every child. Idempotent, synchronous, not a checkpoint. */
  cancel(reason?: unknown): void {
    this.node.cancel(reason);
  }

  private _checkOpen(): void {
    if (this._closed)
      throw new Error(`TaskGroup "${this.name}" has exited: no new tasks can be started`);
  }

  private _fail(error: unknown): void {
    // The body often rethrows a child's error (`await task`): one error is reported once.
    const errors = (this._errors ??= []);
    if (!errors.includes(error)) errors.push(error);
    if (!this.node.cancelCalled) {
      this.node.cancel(
        new CancelledError(`TaskGroup "${this.name}" was cancelled because a task failed`),
      );
    }
  }

  /** @internal */
  protected _childSettled(_task: TaskHandle<unknown>, state: Settlement, error: unknown): void {
    if (state === REJECTED) this._fail(error);
  }

  private async _run<T>(fn: (tg: TaskGroup) => Promise<T> | T): Promise<T | undefined> {
    const node = this.node;
    let value: T | undefined;
    let failed = false;
    let bodyError: unknown;
    try {
      value = await node.run(() => fn(this));
    } catch (error) {
      failed = true;
      bodyError = error;
      if (isCancellationOf(node, error)) node.cancel();
      else this._fail(error);
    }
    const idle = this._join();
    if (idle !== undefined) await idle;
    this._closed = true;
    node.close();
    if (this._errors !== undefined) {
      throw new ExceptionGroup(this._errors, `Unhandled errors in TaskGroup "${this.name}"`);
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
  private _started = false;
  private _task: TaskHandle<unknown> | undefined = undefined;
  private readonly _caller = currentNode();
  private _callerReason: unknown = undefined;
  private readonly _onCallerCancel = (reason: unknown) => {
    this._callerReason = reason;
    this._task?.cancel();
  };

  constructor(
    private readonly _group: TaskGroup,
    private readonly _resolve: (value: T) => void,
    private readonly _reject: (error: unknown) => void,
  ) {}

  watch(task: TaskHandle<unknown>): void {
    this._task = task;
    const caller = this._caller;
    if (caller === undefined) return;
    if (caller.cancelled) this._onCallerCancel(caller.reason);
    else caller.onCancel(this._onCallerCancel);
  }

  started(value: T | undefined): void {
    if (this._started) throw new Error('started() was called twice for the same task');
    if (this._task?.done) return;
    this._started = true;
    this._caller?.offCancel(this._onCallerCancel);
    this._resolve(value as T);
  }

  _taskDone(task: TaskHandle<unknown>, state: Settlement, error: unknown): void {
    if (this._started) {
      this._group._taskDone(task, state, error);
      return;
    }
    this._caller?.offCancel(this._onCallerCancel);
    // Before started() the outcome belongs to the caller, not the group.
    this._group._taskDone(task, FULFILLED, undefined);
    // A failure of the child wins over the caller's cancellation, as in cancelAndWait.
    if (state === REJECTED) this._reject(error);
    else if (this._callerReason !== undefined) this._reject(this._callerReason);
    else if (state !== FULFILLED) this._reject(error);
    else this._reject(new Error(`Task "${task.name}" exited without calling started()`));
  }
}
