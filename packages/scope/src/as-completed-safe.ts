import { cancellable, type Task } from '@aiotools/core';
import { scopeNodeOf } from './scope-node.js';
import { Supervisor } from './supervisor.js';
import type { TaskFn } from './task-fn.js';
import { toFnArray } from './to-fn-array.js';

/**
 * Runs every function as a task of one scope and yields the task handles in the order they
 * settle (aiotools' `as_completed_safe`). Each yielded task is done: `await` it, or read
 * `result()`/`exception()`. Leaving the loop early (`break`, `return`, a throw — `for await`
 * calls `return()` for you), calling `return()` or disposing the iterator cancels the tasks
 * still running and waits for them. When the caller is cancelled while waiting for the next
 * task, the remaining tasks are cancelled and awaited and the cancellation is thrown.
 *
 * Tasks live in the scope that is current when `asCompletedSafe` is called. Failures are
 * yielded, not reported to a handler.
 *
 * @throws TypeError for an argument that is not an iterable of functions
 * @example
 * ```ts
 * import { asCompletedSafe } from '@aiotools/scope';
 *
 * for await (const task of asCompletedSafe([() => probe('a'), () => probe('b')])) {
 *   if (!task.exception()) { console.log('first healthy:', task.result()); break; }
 * }
 * ```
 */
export function asCompletedSafe<T>(fns: Iterable<TaskFn<T>>): AsCompletedIterator<T> {
  return new AsCompleted(toFnArray(fns, 'fns'));
}

/**
 * What {@link asCompletedSafe} returns: an async iterator of settled task handles that is its
 * own iterable and can be disposed.
 *
 * Spelled out member by member on purpose. A task is a thenable, and TypeScript types
 * `for await` over the built-in `AsyncIterable<X>` family (`AsyncIterableIterator`,
 * `AsyncIteratorObject`, ...) as `Awaited<X>`, here the task's value, although at run time
 * `for await` never awaits the values an async iterator gives. Through an iterator type of
 * its own, the loop variable is typed from `next()`'s result: `Task<T>`, as at run time.
 */
export interface AsCompletedIterator<T> extends AsyncDisposable {
  /** The next task to settle; `done` once every task was yielded or the iterator was closed. */
  next(): Promise<IteratorResult<Task<T>, undefined>>;
  /** Cancels the tasks still running and waits for them (`for await` calls it on `break`). */
  return(): Promise<IteratorResult<Task<T>, undefined>>;
  /** Like `return()`, then rejects with `error`. */
  throw(error?: unknown): Promise<IteratorResult<Task<T>, undefined>>;
  /** The iterator itself. */
  [Symbol.asyncIterator](): AsCompletedIterator<T>;
}

class AsCompleted<T> implements AsCompletedIterator<T> {
  private readonly _scope = new Supervisor({ name: 'asCompletedSafe' });
  private readonly _ready: Task<T>[] = [];
  private _head = 0;
  private _remaining: number;
  private _finished = false;
  /** Pending `next()` calls waiting for a task to settle; concurrent calls are allowed. */
  private _wakers: (() => void)[] = [];

  constructor(fns: TaskFn<T>[]) {
    this._remaining = fns.length;
    const onSettled = (task: Task<T>) => () => {
      this._remaining--;
      this._ready.push(task);
      const wakers = this._wakers;
      this._wakers = [];
      for (const wake of wakers) wake();
    };
    for (const task of scopeNodeOf(this._scope)!.spawnAll(fns)) {
      const done = onSettled(task);
      task.then(done, done);
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Task<T>, undefined>> {
    if (this._finished) return { done: true, value: undefined };
    while (this._head === this._ready.length && this._remaining > 0) {
      try {
        await cancellable<void>((resolve) => {
          this._wakers.push(resolve);
          return () => {
            const i = this._wakers.indexOf(resolve);
            if (i !== -1) this._wakers.splice(i, 1);
          };
        });
      } catch (error) {
        await this._shutdown();
        throw error;
      }
    }
    if (this._head < this._ready.length) {
      const task = this._ready[this._head]!;
      this._ready[this._head++] = undefined as unknown as Task<T>;
      return { done: false, value: task };
    }
    await this._shutdown();
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<Task<T>, undefined>> {
    await this._shutdown();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<Task<T>, undefined>> {
    await this._shutdown();
    throw error;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this._shutdown();
  }

  private async _shutdown(): Promise<void> {
    if (this._finished) return;
    this._finished = true;
    this._scope.abort();
    await this._scope[Symbol.asyncDispose]();
  }
}
