import {
  CancelNode,
  currentClock,
  isCancellation,
  type Task,
  type TaskState,
} from '@aiotools/core';
import { runEach, runSoonIn } from '@aiotools/core/internal';
import type { TaskFn } from './task-fn.js';

// How a task has settled, as its owner is told: numbers, so that a settle compares integers.
// The public spelling is core's `TaskState`, derived from it in `TaskHandle.state`.
export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;
export const CANCELLED = 3;
export type Settlement = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;

/** Whoever spawned a task and is told once when it settles. */
export interface TaskOwner {
  taskDone(task: TaskHandle<unknown>, settlement: Settlement, value: unknown): void;
}

const TASK_NODE = { kind: 'task' } as const;
let counter = 0;

/**
 * The cancel node of a task and everything the package keeps of the task while it runs: the
 * body until it starts, the owner until it settles, the outcome and the promise behind the
 * handle. The {@link TaskHandle} that users hold delegates to it, so that the handle shows the
 * `Task` interface only.
 */
export class TaskNode extends CancelNode {
  /** When the task was spawned, on the clock current at that time. */
  readonly born: number;
  readonly #task: TaskHandle<unknown>;
  #fn: TaskFn<unknown> | undefined;
  #owner: TaskOwner | undefined;
  #settlement: Settlement = PENDING;
  #value: unknown = undefined;
  #promise: Promise<unknown> | undefined = undefined;
  #resolve: ((value: unknown) => void) | undefined = undefined;
  #reject: ((error: unknown) => void) | undefined = undefined;

  /** A task of `owner` under `parent`; its body is not started (see {@link startSoon}). */
  constructor(parent: CancelNode, owner: TaskOwner, fn: TaskFn<unknown>, name: string | undefined) {
    super(parent, TASK_NODE);
    this.#fn = fn;
    this.#owner = owner;
    this.born = currentClock().now();
    this.#task = new TaskHandle(this, name);
  }

  /** The handle of this task. */
  get task(): TaskHandle<unknown> {
    return this.#task;
  }

  /** How the task has settled, `PENDING` while it runs. */
  get settlement(): Settlement {
    return this.#settlement;
  }

  /** The value or the error the task settled with. */
  get value(): unknown {
    return this.#value;
  }

  /** Runs the body (once: a second call does nothing); this node is the ambient scope. */
  runBody(): void {
    const fn = this.#fn;
    if (fn === undefined) return;
    this.#fn = undefined;
    let value: unknown;
    try {
      value = fn.length > 0 ? fn(this.signal) : (fn as () => unknown)();
    } catch (error) {
      this.#settle(isCancellationOf(this, error) ? CANCELLED : REJECTED, error);
      return;
    }
    // A synchronous body settles at once, without a promise; otherwise one reaction settles the
    // task (a foreign thenable is adopted first, as `await` would, so its `then` runs later).
    if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') {
      Promise.resolve(value).then(
        (result: unknown) => this.#settle(FULFILLED, result),
        (error: unknown) =>
          this.#settle(isCancellationOf(this, error) ? CANCELLED : REJECTED, error),
      );
    } else this.#settle(FULFILLED, value);
  }

  /** The promise behind the handle's `then`, created on first use. */
  observe(): Promise<unknown> {
    if (this.#promise === undefined) {
      if (this.#settlement === FULFILLED) this.#promise = Promise.resolve(this.#value);
      else if (this.#settlement !== PENDING) this.#promise = Promise.reject(this.#value);
      else {
        this.#promise = new Promise<unknown>((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
      }
    }
    return this.#promise;
  }

  #settle(settlement: Settlement, value: unknown): void {
    this.#settlement = settlement;
    this.#value = value;
    this.detach();
    if (this.#resolve !== undefined) {
      if (settlement === FULFILLED) this.#resolve(value);
      else this.#reject!(value);
      this.#resolve = undefined;
      this.#reject = undefined;
    }
    const owner = this.#owner!;
    this.#owner = undefined;
    owner.taskDone(this.#task, settlement, value);
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

/** Starts the body of the task of `node` in a microtask, in the async context of the caller. */
export function startSoon(node: TaskNode): void {
  runSoonIn(node, runBody, node);
}

/** Starts the bodies of tasks spawned by one call, in one microtask, in the caller's context. */
export function startAllSoon(nodes: readonly TaskNode[]): void {
  if (nodes.length > 0) queueMicrotask(() => runEach(nodes, itself, runBody));
}

function itself(node: TaskNode): TaskNode {
  return node;
}

function runBody(node: TaskNode): void {
  node.runBody();
}

/**
 * The {@link Task} handle that every spawn of the package returns. Awaiting it gives the
 * body's value or throws its error (a cancelled task throws its cancellation); the task's
 * promise is observed at spawn, so an error nobody awaits is never an unhandled rejection.
 */
export class TaskHandle<T> implements Task<T>, PromiseLike<T>, AsyncDisposable {
  readonly #node: TaskNode;
  #name: string | undefined;
  readonly #id: number;

  /** The handle of `node`; only a {@link TaskNode} creates one. */
  constructor(node: TaskNode, name: string | undefined) {
    this.#node = node;
    this.#name = name;
    this.#id = ++counter;
  }

  get name(): string {
    this.#name ??= `Task-${this.#id}`;
    return this.#name;
  }

  get signal(): AbortSignal {
    return this.#node.signal;
  }

  get done(): boolean {
    return this.#node.settlement !== PENDING;
  }

  /** `'running'`, `'cancelling'`, `'fulfilled'`, `'rejected'` or `'cancelled'`. */
  get state(): TaskState {
    const node = this.#node;
    switch (node.settlement) {
      case PENDING:
        return node.cancelled ? 'cancelling' : 'running';
      case FULFILLED:
        return 'fulfilled';
      case REJECTED:
        return 'rejected';
      default:
        return 'cancelled';
    }
  }

  cancel(reason?: unknown): boolean {
    const node = this.#node;
    if (node.settlement !== PENDING) return false;
    node.cancel(reason);
    return true;
  }

  cancelled(): boolean {
    return this.#node.settlement === CANCELLED;
  }

  result(): T {
    const node = this.#node;
    if (node.settlement === FULFILLED) return node.value as T;
    if (node.settlement === PENDING) throw new Error(`Task "${this.name}" is not done yet`);
    throw node.value;
  }

  exception(): unknown {
    const settlement = this.#node.settlement;
    return settlement === REJECTED || settlement === CANCELLED ? this.#node.value : undefined;
  }

  // biome-ignore lint/suspicious/noThenProperty: a task is awaitable by design (PromiseLike)
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return (this.#node.observe() as Promise<T>).then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return (this.#node.observe() as Promise<T>).then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return (this.#node.observe() as Promise<T>).finally(onfinally);
  }

  /** Cancels the task and waits until it has settled; its outcome stays on the handle. */
  async [Symbol.asyncDispose](): Promise<void> {
    const node = this.#node;
    if (node.settlement !== PENDING) return;
    node.cancel();
    await node.observe().then(undefined, () => undefined);
  }

  get [Symbol.toStringTag](): string {
    return 'Task';
  }
}
