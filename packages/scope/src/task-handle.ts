import {
  CancelNode,
  currentClock,
  currentNode,
  isCancellation,
  type Task,
  type TaskState,
} from '@aiotools/core';
import { runEach } from '@aiotools/core/internal';
import { scopeState, TASK_NODE as TASK_NODE_BRAND } from './shared-state.js';
import type { TaskFn } from './task-fn.js';

// How a task has settled, as its owner is told: numbers, so that a settle compares integers.
// The public spelling is core's `TaskState`, derived from it in `TaskHandle.state`.
export const PENDING = 0;
export const FULFILLED = 1;
export const REJECTED = 2;
export const CANCELLED = 3;
export type Settlement = typeof PENDING | typeof FULFILLED | typeof REJECTED | typeof CANCELLED;
// A task whose body has not started yet (its node reports `PENDING`).
const UNSTARTED = -1;
type Stage = Settlement | typeof UNSTARTED;

/** Whoever spawned a task (its parent node) and is told once when it settles. */
export interface TaskOwner {
  taskDone(task: TaskHandle<unknown>, settlement: Settlement, value: unknown): void;
}

const TASK_NODE = { kind: 'task' } as const;
const counters = scopeState.counters;

/**
 * The cancel node of a task and everything the package keeps of the task while it runs: the
 * body until it starts, the outcome and the promise behind the handle. The {@link TaskHandle}
 * that users hold delegates to it, so that the handle shows the `Task` interface only. Its
 * owner is its parent, the scope node that spawned it: a task costs no slot for it.
 */
export class TaskNode extends CancelNode {
  /** When the task was spawned, on the clock current at that time. */
  readonly born: number;
  readonly #task: TaskHandle<unknown>;
  // Where the task is (`UNSTARTED` until the body starts, then `PENDING` until it settles, then
  // how it settled), or, once somebody awaits the handle, the Observer that keeps it from then
  // on: a task nobody awaits (the common case in a group) spends one slot on both.
  #state: Stage | Observer = UNSTARTED;
  // The body until it starts, then nothing until the task settles, then its value or error.
  #value: unknown;

  /** A task of `parent`, which is told when it settles; its body is not started (see {@link startSoon}). */
  constructor(parent: CancelNode & TaskOwner, fn: TaskFn<unknown>, name: string | undefined) {
    super(parent, TASK_NODE);
    this.#value = fn;
    // A whole number of milliseconds is stored inline (the tree shows ages in ms at best).
    this.born = Math.floor(currentClock().now());
    this.#task = new TaskHandle(this, name);
  }

  /** The handle of this task. */
  get task(): TaskHandle<unknown> {
    return this.#task;
  }

  /** How the task has settled, `PENDING` while it runs. */
  get settlement(): Settlement {
    const stage = stageOf(this.#state);
    return stage === UNSTARTED ? PENDING : stage;
  }

  /** The value or the error the task settled with. */
  get value(): unknown {
    return stageOf(this.#state) > PENDING ? this.#value : undefined;
  }

  /** Runs the body (once: a second call does nothing); this node is the ambient scope. */
  start(): void {
    if (stageOf(this.#state) !== UNSTARTED) return;
    const fn = this.#value as TaskFn<unknown>;
    this.setStage(PENDING);
    this.#value = undefined;
    let value: unknown;
    try {
      value = fn.length > 0 ? fn(this.signal) : (fn as () => unknown)();
    } catch (error) {
      this.settle(isCancellationOf(this, error) ? CANCELLED : REJECTED, error);
      return;
    }
    // A synchronous body settles at once, without a promise; otherwise one reaction settles the
    // task (a foreign thenable is adopted first, as `await` would, so its `then` runs later).
    if (typeof (value as PromiseLike<unknown> | null)?.then === 'function') {
      // The reaction runs in the async context of this call, where this node is the ambient
      // one (the body was started in it): the two shared functions find the task there and no
      // closure is made per task. Started any other way, the task gets closures of its own.
      if (currentNode() === this) Promise.resolve(value).then(fulfilAmbient, rejectAmbient);
      else
        Promise.resolve(value).then(
          (result: unknown) => this.fulfil(result),
          (error: unknown) => this.fail(error),
        );
    } else this.settle(FULFILLED, value);
  }

  /** Settles the task with its body's value (once: see {@link TaskNode.fail}). */
  fulfil(value: unknown): void {
    if (stageOf(this.#state) === PENDING) this.settle(FULFILLED, value);
  }

  /** Settles the task with its body's error, a cancellation or a failure. */
  fail(error: unknown): void {
    if (stageOf(this.#state) === PENDING)
      this.settle(isCancellationOf(this, error) ? CANCELLED : REJECTED, error);
  }

  /** The promise behind the handle's `then`, created on first use. */
  observe(): Promise<unknown> {
    const state = this.#state;
    if (typeof state !== 'number') return state.promise;
    const observer = new Observer(state);
    if (state > PENDING) observer.settle(state as Settlement, this.#value);
    this.#state = observer;
    return observer.promise;
  }

  /** Moves the task to `stage` (not `#private`, as a private method costs every task a slot). */
  private setStage(stage: Stage): void {
    const state = this.#state;
    if (typeof state === 'number') this.#state = stage;
    else state.stage = stage;
  }

  /** Records the outcome and tells the owner (not `#private`: see {@link TaskNode.setStage}). */
  private settle(settlement: Settlement, value: unknown): void {
    this.#value = value;
    this.setStage(settlement);
    const state = this.#state;
    if (typeof state !== 'number') state.settle(settlement, value);
    this.detach();
    (this.parent as unknown as TaskOwner).taskDone(this.#task, settlement, value);
  }
}

// The settle reactions shared by every task: each runs in the context of its task's body.
function fulfilAmbient(value: unknown): void {
  (currentNode() as TaskNode).fulfil(value);
}

function rejectAmbient(error: unknown): void {
  (currentNode() as TaskNode).fail(error);
}

/**
 * The promise behind a task handle's `then`, with the functions that settle it, and where the
 * task is (its node keeps that itself until an Observer is made).
 */
class Observer {
  readonly promise: Promise<unknown>;
  stage: Stage;
  #resolve!: (value: unknown) => void;
  #reject!: (error: unknown) => void;

  constructor(stage: Stage) {
    this.stage = stage;
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  settle(settlement: Settlement, value: unknown): void {
    if (settlement === FULFILLED) this.#resolve(value);
    else this.#reject(value);
  }
}

function stageOf(state: Stage | Observer): Stage {
  return typeof state === 'number' ? state : state.stage;
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
  // `runSoonIn(node, runBody, node)` without a closure per spawn: the start reaction is queued
  // inside the node's own context, where one shared reaction finds the node again.
  node.run(queueStart);
}

const resolved = Promise.resolve();

function queueStart(): void {
  void resolved.then(startAmbient);
}

function startAmbient(): void {
  try {
    (currentNode() as TaskNode).start();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** Starts the bodies of tasks spawned by one call, in one microtask, in the caller's context. */
export function startAllSoon(nodes: readonly TaskNode[]): void {
  if (nodes.length > 0) queueMicrotask(() => runEach(nodes, itself, runBody));
}

function itself(node: TaskNode): TaskNode {
  return node;
}

function runBody(node: TaskNode): void {
  node.start();
}

/**
 * The {@link Task} handle that every spawn of the package returns. Awaiting it gives the
 * body's value or throws its error (a cancelled task throws its cancellation); the task's
 * promise is observed at spawn, so an error nobody awaits is never an unhandled rejection.
 */
export class TaskHandle<T> implements Task<T>, PromiseLike<T>, AsyncDisposable {
  readonly #node: TaskNode;
  // The name given at spawn, or the task's number until a name is made from it on first read.
  #name: string | number;

  /** The handle of `node`; only a {@link TaskNode} creates one. */
  constructor(node: TaskNode, name: string | undefined) {
    this.#node = node;
    const number = ++counters.task;
    this.#name = name ?? number;
  }

  get name(): string {
    const name = this.#name;
    if (typeof name === 'string') return name;
    const generated = `Task-${name}`;
    this.#name = generated;
    return generated;
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

Object.defineProperty(TaskNode.prototype, TASK_NODE_BRAND, { value: true });
