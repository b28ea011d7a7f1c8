import type { ScopeNode } from './scope-node.js';
import type { TaskFn } from './task-fn.js';
import {
  type Settlement,
  startAllSoon,
  startSoon,
  TaskHandle,
  TaskNode,
  type TaskOwner,
} from './task-handle.js';

/**
 * What task groups, task scopes and hat-style groups share: spawning into their node,
 * counting live children and waking whoever waits for the last one. A host keeps no
 * reference to a child once it has settled.
 */
export abstract class TaskHost implements TaskOwner {
  /** @internal */
  abstract readonly node: ScopeNode;
  /** Live children. @internal */
  _pending = 0;
  private _idle: Promise<void> | undefined = undefined;
  private _wake: (() => void) | undefined = undefined;

  /** Live child tasks (nested scopes and subgroups not counted). */
  get size(): number {
    return this._pending;
  }

  /** @internal */
  _spawnTask<T>(fn: TaskFn<T>, name: string | undefined, owner: TaskOwner = this): TaskHandle<T> {
    this._pending++;
    const task = new TaskHandle(owner, this.node, fn, name);
    startSoon(task as TaskHandle<unknown>);
    return task;
  }

  /**
   * Spawns every function of one call (`gatherSafe`, `asCompletedSafe`): no user code runs
   * between these spawns, so their bodies share one start microtask and one context. @internal
   */
  _spawnAll<T>(fns: readonly TaskFn<T>[]): TaskHandle<T>[] {
    this._pending += fns.length;
    const tasks = fns.map((fn) => new TaskHandle(this, this.node, fn, undefined));
    startAllSoon(tasks as TaskHandle<unknown>[]);
    return tasks;
  }

  /** @internal */
  _taskDone(task: TaskHandle<unknown>, state: Settlement, error: unknown): void {
    this._pending--;
    this._childSettled(task, state, error);
    if (this._pending === 0 && this._wake !== undefined) {
      const wake = this._wake;
      this._wake = undefined;
      this._idle = undefined;
      wake();
    }
  }

  /** Called once per child when it settles. @internal */
  protected abstract _childSettled(
    task: TaskHandle<unknown>,
    state: Settlement,
    error: unknown,
  ): void;

  /** Resolves when no child is left (at once when there is none). Not a checkpoint. @internal */
  _join(): Promise<void> | undefined {
    if (this._pending === 0) return undefined;
    this._idle ??= new Promise<void>((resolve) => {
      this._wake = resolve;
    });
    return this._idle;
  }

  /** Cancels every live child task (not nested scopes of the body). @internal */
  _cancelChildren(reason?: unknown): void {
    const tasks: TaskHandle<unknown>[] = [];
    for (const child of this.node.children()) {
      if (child instanceof TaskNode) tasks.push(child.task);
    }
    for (const task of tasks) task.cancel(reason);
  }
}
