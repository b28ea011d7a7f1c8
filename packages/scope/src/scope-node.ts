import { CancelNode, currentClock } from '@aiotools/core';
import { hasBrand, SCOPE_NODE, scopeState, TASK_NODE } from './shared-state.js';
import type { TaskFn } from './task-fn.js';
import {
  type Settlement,
  startAllSoon,
  startSoon,
  type TaskHandle,
  TaskNode,
  type TaskOwner,
} from './task-handle.js';

/** What a scope node stands for in the live task tree. */
export interface ScopeOwner {
  readonly name: string;
  /** `'open'`, `'closing'`, `'closed'`… for {@link formatTaskTree}. */
  readonly state: string;
}

/** Called once per child task of a scope node when it settles. */
export type ChildSettled = (
  task: TaskHandle<unknown>,
  settlement: Settlement,
  value: unknown,
  owner: ScopeOwner,
) => void;

/** What a scope node is made of. */
export interface ScopeNodeInit {
  /** The public object the node stands for: its name and state are shown in the tree. */
  readonly owner: ScopeOwner;
  /** `'taskgroup'`, `'taskscope'`, `'supervisor'`, `'group'` or `'run'`. */
  readonly kind: string;
  readonly name: string;
  readonly shield?: boolean | undefined;
  /** Told of each child task when it settles, before whoever waits for the last one. */
  readonly childSettled?: ChildSettled | undefined;
}

// The roots of the trees that hold an open scope node, each with the number of open scope
// nodes in it, shared by every copy of the package. A root is listed while one of them is open
// and forgotten when the last one closes, so a program that opens a root scope per request
// keeps nothing per ended scope.
const roots = scopeState.roots;

function rootOf(node: CancelNode): CancelNode {
  let root = node;
  for (let parent = root.parent; parent !== undefined; parent = parent.parent) {
    // An enclosing scope node, of any copy of the package, knows its root already.
    if (hasBrand(parent, SCOPE_NODE)) return (parent as ScopeNode).root;
    root = parent;
  }
  return root;
}

/** The roots of every tree that holds an open task group, task scope, group or `run()`. */
export function liveRoots(): CancelNode[] {
  return [...roots.keys()];
}

// The link from a public scope object (task group, task scope, group) to its node, for the
// functions of the package that work on the node (`formatTaskTree(root)`, `gatherSafe`): a
// property under a symbol that is not exported, so that the classes declare no member for it.
const nodeKey = Symbol('scopeNode');

interface Linked {
  [nodeKey]?: ScopeNode;
}

/** The node of a task group, task scope or group; `undefined` for any other value. */
export function scopeNodeOf(owner: unknown): ScopeNode | undefined {
  if (typeof owner !== 'object' || owner === null) return undefined;
  return (owner as Linked)[nodeKey];
}

/**
 * The node of a task group, task scope, supervisor, hat-style group or `run()`: a `CancelNode`
 * that knows its owner and when it was opened, for the live task tree, and that spawns the
 * owner's child tasks, counts the live ones and wakes whoever waits for the last one. It keeps
 * no reference to a child once it has settled.
 */
export class ScopeNode extends CancelNode implements TaskOwner {
  readonly owner: ScopeOwner;
  /** When the scope was opened, on the clock current at that time. */
  readonly born: number;
  /** The root of the tree this node lives in (itself for a root scope). */
  readonly root: CancelNode;
  #closed = false;
  #pending = 0;
  #idle: Promise<void> | undefined = undefined;
  #wake: (() => void) | undefined = undefined;
  readonly #childSettled: ChildSettled | undefined;
  // The child tasks that report to an owner other than this node until they settle (a child
  // of `TaskGroup.start` before it has started), with that owner; made on first use.
  #owners: Map<TaskHandle<unknown>, TaskOwner> | undefined = undefined;

  constructor(parent: CancelNode | undefined, init: ScopeNodeInit) {
    super(parent, { kind: init.kind, name: init.name, shield: init.shield ?? false });
    const owner = init.owner;
    this.owner = owner;
    this.#childSettled = init.childSettled;
    this.born = currentClock().now();
    if (parent === undefined) {
      // A new root: it is not listed yet.
      this.root = this;
      roots.set(this, 1);
    } else {
      const root = rootOf(this);
      this.root = root;
      roots.set(root, (roots.get(root) ?? 0) + 1);
    }
    (owner as Linked)[nodeKey] = this;
  }

  /** The owner has exited; the node is kept only while something still refers to it. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Live child tasks (nested scopes and subgroups not counted). */
  get pending(): number {
    return this.#pending;
  }

  /** Marks the scope exited and removes it from its parent. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.detach();
    const root = this.root;
    const open = roots.get(root)! - 1;
    if (open === 0) roots.delete(root);
    else roots.set(root, open);
  }

  /**
   * Spawns a child task. When `owner` is given, it is told instead of this node when the task
   * settles, and must tell this node in turn.
   */
  spawn<T>(fn: TaskFn<T>, name: string | undefined, owner?: TaskOwner): TaskHandle<T> {
    this.#pending++;
    const node = new TaskNode(this, fn as TaskFn<unknown>, name);
    if (owner !== undefined) (this.#owners ??= new Map()).set(node.task, owner);
    startSoon(node);
    return node.task as TaskHandle<T>;
  }

  /**
   * Spawns every function of one call (`gatherSafe`, `asCompletedSafe`): no user code runs
   * between these spawns, so their bodies share one start microtask and one context.
   */
  spawnAll<T>(fns: readonly TaskFn<T>[]): TaskHandle<T>[] {
    this.#pending += fns.length;
    const nodes = fns.map((fn) => new TaskNode(this, fn as TaskFn<unknown>, undefined));
    startAllSoon(nodes);
    return nodes.map((node) => node.task as TaskHandle<T>);
  }

  taskDone(task: TaskHandle<unknown>, settlement: Settlement, value: unknown): void {
    const owners = this.#owners;
    if (owners !== undefined) {
      const owner = owners.get(task);
      if (owner !== undefined) {
        owners.delete(task);
        owner.taskDone(task, settlement, value);
        return;
      }
    }
    this.#pending--;
    this.#childSettled?.(task, settlement, value, this.owner);
    if (this.#pending === 0 && this.#wake !== undefined) {
      const wake = this.#wake;
      this.#wake = undefined;
      this.#idle = undefined;
      wake();
    }
  }

  /** Resolves when no child is left; `undefined` at once when there is none. Not a checkpoint. */
  join(): Promise<void> | undefined {
    if (this.#pending === 0) return undefined;
    this.#idle ??= new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    return this.#idle;
  }

  /** Cancels every live child task (not nested scopes of the body). */
  cancelChildren(reason?: unknown): void {
    const tasks: TaskHandle<unknown>[] = [];
    for (const child of this.children()) {
      if (hasBrand(child, TASK_NODE)) tasks.push((child as TaskNode).task);
    }
    for (const task of tasks) task.cancel(reason);
  }
}

Object.defineProperty(ScopeNode.prototype, SCOPE_NODE, { value: true });
