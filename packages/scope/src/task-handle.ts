import {
  CancelNode,
  currentClock,
  isCancellation,
  type Task,
  type TaskState,
} from '@aiotools/core';
import { runEach, runSoonIn } from '@aiotools/core/internal';
import type { TaskFn } from './task-fn.js';

/** Task states. */
export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;
export const CANCELLED = 3;
export type Settlement = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;

/** Whoever spawned a task and is told once when it settles. */
export interface TaskOwner {
  _taskDone(task: TaskHandle<unknown>, state: Settlement, error: unknown): void;
}

const TASK_NODE = { kind: 'task' } as const;
let counter = 0;

/** The cancel node of a task: links the live tree to its {@link TaskHandle}. */
export class TaskNode extends CancelNode {
  task: TaskHandle<unknown>;

  constructor(parent: CancelNode, task: TaskHandle<unknown>) {
    super(parent, TASK_NODE);
    this.task = task;
  }
}

/** Whether `error` is how a task under `node` ends when it is cancelled. */
export function isCancellationOf(node: CancelNode, error: unknown): boolean {
  if (isCancellation(error)) return true;
  if (!node.cancelled) return false;
  return (
    error === node.reason ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { cause?: unknown }).cause === node.reason)
  );
}

// A body starts in a microtask, so that `spawn()` returns first and a synchronous throw
// becomes a task failure. The microtask is queued by the spawn itself, so it runs in the
// async context of that call (every AsyncLocalStorage, every ContextVar), as asyncio's
// `create_task` copies the context. Contexts cannot be compared through any public API, so
// only a burst known to come from one call (`startAllSoon`) shares a microtask.

/** Starts `task`'s body in a microtask, in the async context of the caller. */
export function startSoon(task: TaskHandle<unknown>): void {
  runSoonIn(task.node, runTask, task);
}

/** Starts the bodies of tasks spawned by one call, in one microtask, in the caller's context. */
export function startAllSoon(tasks: readonly TaskHandle<unknown>[]): void {
  if (tasks.length > 0) queueMicrotask(() => runEach(tasks, nodeOfTask, runTask));
}

function nodeOfTask(task: TaskHandle<unknown>): CancelNode {
  return task.node;
}

/** Runs a body; the task's node is the ambient scope. */
function runTask(task: TaskHandle<unknown>): void {
  const fn = task._fn!;
  task._fn = undefined;
  const node = task.node;
  let value: unknown;
  try {
    value = fn.length > 0 ? fn(node.signal) : (fn as () => unknown)();
  } catch (error) {
    task._settle(isCancellationOf(node, error) ? CANCELLED : REJECTED, error);
    return;
  }
  // A synchronous body settles at once, without a promise; otherwise one reaction settles the
  // task (a foreign thenable is adopted first, as `await` would, so its `then` runs later).
  if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') {
    Promise.resolve(value).then(
      (result: unknown) => task._settle(FULFILLED, result),
      (error: unknown) => task._settle(isCancellationOf(node, error) ? CANCELLED : REJECTED, error),
    );
  } else task._settle(FULFILLED, value);
}

/**
 * The {@link Task} handle that every spawn of the package returns. Awaiting it gives the
 * body's value or throws its error (a cancelled task throws its cancellation); the task's
 * promise is observed at spawn, so an error nobody awaits is never an unhandled rejection.
 */
export class TaskHandle<T> implements Task<T>, PromiseLike<T>, AsyncDisposable {
  readonly node: TaskNode;
  /** When the task was spawned, on the clock current at that time. */
  readonly born: number;
  /** @internal */
  _fn: TaskFn<T> | undefined;
  /** @internal */
  _owner: TaskOwner | undefined;
  private _state: Settlement = PENDING;
  private _value: unknown = undefined;
  private _name: string | undefined;
  private readonly _id: number;
  private _promise: Promise<T> | undefined = undefined;
  private _resolve: ((value: T) => void) | undefined = undefined;
  private _reject: ((error: unknown) => void) | undefined = undefined;

  constructor(owner: TaskOwner, parent: CancelNode, fn: TaskFn<T>, name: string | undefined) {
    this._owner = owner;
    this._fn = fn;
    this._name = name;
    this._id = ++counter;
    this.node = new TaskNode(parent, this as TaskHandle<unknown>);
    this.born = currentClock().now();
  }

  get name(): string {
    this._name ??= `Task-${this._id}`;
    return this._name;
  }

  get signal(): AbortSignal {
    return this.node.signal;
  }

  get done(): boolean {
    return this._state !== PENDING;
  }

  /** `'running'`, `'cancelling'`, `'fulfilled'`, `'rejected'` or `'cancelled'`. */
  get state(): TaskState {
    switch (this._state) {
      case PENDING:
        return this.node.cancelled ? 'cancelling' : 'running';
      case FULFILLED:
        return 'fulfilled';
      case REJECTED:
        return 'rejected';
      default:
        return 'cancelled';
    }
  }

  cancel(reason?: unknown): boolean {
    if (this._state !== PENDING) return false;
    this.node.cancel(reason);
    return true;
  }

  cancelled(): boolean {
    return this._state === CANCELLED;
  }

  result(): T {
    if (this._state === FULFILLED) return this._value as T;
    if (this._state === PENDING) throw new Error(`Task "${this.name}" is not done yet`);
    throw this._value;
  }

  exception(): unknown {
    return this._state === REJECTED || this._state === CANCELLED ? this._value : undefined;
  }

  // biome-ignore lint/suspicious/noThenProperty: a task is awaitable by design (PromiseLike)
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this._observe().then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this._observe().then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this._observe().finally(onfinally);
  }

  /** Cancels the task and waits until it has settled; its outcome stays on the handle. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this._state !== PENDING) return;
    this.node.cancel();
    await this._observe().then(undefined, () => undefined);
  }

  get [Symbol.toStringTag](): string {
    return 'Task';
  }

  /** The promise behind `then`, created on first use. */
  private _observe(): Promise<T> {
    if (this._promise === undefined) {
      if (this._state === FULFILLED) this._promise = Promise.resolve(this._value as T);
      else if (this._state !== PENDING) this._promise = Promise.reject(this._value);
      else {
        this._promise = new Promise<T>((resolve, reject) => {
          this._resolve = resolve;
          this._reject = reject;
        });
      }
    }
    return this._promise;
  }

  /** @internal */
  _settle(state: Settlement, value: unknown): void {
    this._state = state;
    this._value = value;
    this.node.detach();
    if (this._resolve !== undefined) {
      if (state === FULFILLED) this._resolve(value as T);
      else this._reject!(value);
      this._resolve = undefined;
      this._reject = undefined;
    }
    const owner = this._owner!;
    this._owner = undefined;
    owner._taskDone(this as TaskHandle<unknown>, state, value);
  }
}
