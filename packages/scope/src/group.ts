import { abandonOnCancel, CancelledError, cancellable, type Task } from '@aiotools/core';
import {
  invalidType,
  validateFunction,
  validateOptions,
  validateString,
} from '@aiotools/core/internal';
import { type ExceptionHandler, reportTaskError } from './exception-handler.js';
import { GroupClosedError } from './group-closed-error.js';
import { enrolInRun } from './run.js';
import { ScopeNode } from './scope-node.js';
import { scopeState } from './shared-state.js';
import type { TaskFn } from './task-fn.js';
import type { SpawnOptions } from './task-group.js';
import { REJECTED } from './task-handle.js';

/** Options of {@link Group}. */
export interface GroupOptions {
  /**
   * Receives each task failure; `null` drops them. Subgroups inherit it.
   * @default a process warning (`process.emitWarning`, type `'TaskError'`) naming the task
   */
  readonly exceptionHandler?: ExceptionHandler | null | undefined;
  /** A name for diagnostics and `formatTaskTree()`. @default `'Group-<n>'` */
  readonly name?: string | undefined;
}

/**
 * Where a {@link Group} is in its life: `'open'`, then `'closing'` once `close()` was called
 * (its tasks are cancelled, nothing new can start), then `'closed'` once every task and
 * subgroup has finished.
 *
 * @example
 * ```ts
 * import { Group, type GroupState } from '@aiotools/scope';
 *
 * const group = new Group();
 * const states: GroupState[] = [group.state]; // ['open']
 * group.close();
 * states.push(group.state); // 'closed' at once: the group had no task
 * ```
 */
export type GroupState = 'open' | 'closing' | 'closed';

/** How `createSubgroup` hands the parent to the constructor, in place of the options. */
class SubgroupInit {
  readonly parent: Group;
  readonly options: GroupOptions | undefined;

  constructor(parent: Group, options: GroupOptions | undefined) {
    this.parent = parent;
    this.options = options;
  }
}

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
}

function waiters(): Waiters {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A lifetime object owning tasks (hat.aio's `Group`): it is open, then closing, then closed.
 * `close()` cancels every task and subgroup; the group is closed once all of them have
 * finished. Task failures go to the `exceptionHandler` and close nothing. A group is a root
 * scope: it is not cancelled by the scope it was created in, only by `close()` (or by the
 * closing of the group it is a subgroup of). A group created under `run()` is closed by it
 * once `run()`'s main has settled, so none outlives the program's main.
 *
 * @example
 * ```ts
 * import { Group } from '@aiotools/scope';
 * import { sleep } from '@aiotools/core';
 *
 * const group = new Group();
 * group.spawn(async () => { for (;;) await sleep(1_000); });
 * await group.asyncClose(); // cancels the loop and waits for it
 * ```
 */
export class Group implements AsyncDisposable {
  /** The name given in the options, or `Group-<n>`. */
  readonly name: string;
  readonly #node: ScopeNode;
  readonly #handler: ExceptionHandler | null | undefined;
  readonly #parent: Group | undefined;
  #subgroups: Set<Group> | undefined = undefined;
  #state: GroupState = 'open';
  #closing: Waiters | undefined = undefined;
  #closed: Waiters | undefined = undefined;
  /** Leaves the run() that closes this group when it ends (a root group created under one). */
  readonly #leaveRun: (() => void) | undefined;

  /** @throws TypeError for bad options */
  constructor(options?: GroupOptions) {
    let parent: Group | undefined;
    if (options instanceof SubgroupInit) {
      parent = options.parent;
      options = options.options;
    }
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    const handler = options?.exceptionHandler;
    if (handler !== undefined && handler !== null && typeof handler !== 'function')
      throw invalidType('options.exceptionHandler', 'a function or null', handler);
    if (handler !== undefined) this.#handler = handler;
    else this.#handler = parent === undefined ? undefined : parent.#handler;
    this.#parent = parent;
    this.name = options?.name ?? `Group-${++scopeState.counters.group}`;
    const node = new ScopeNode(parent === undefined ? undefined : parent.#node, {
      owner: this,
      kind: 'group',
      name: this.name,
      childSettled: (task, settlement, error) => {
        if (settlement === REJECTED)
          reportTaskError(
            this.#handler,
            `Task "${task.name}" failed in Group "${this.name}"`,
            error,
            task,
          );
        if (this.#node.pending === 0) this.#checkClosed();
      },
    });
    this.#node = node;
    this.#leaveRun = parent === undefined ? enrolInRun(node, this) : undefined;
  }

  /** The group itself (so that a `Group` is a {@link Resource}). */
  get asyncGroup(): Group {
    return this;
  }

  /** Neither closing nor closed. */
  get isOpen(): boolean {
    return this.#state === 'open';
  }

  /** Closing or closed. */
  get isClosing(): boolean {
    return this.#state !== 'open';
  }

  /** Every task and subgroup has finished after `close()`. */
  get isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** `'open'`, `'closing'` or `'closed'`: see {@link GroupState}. */
  get state(): GroupState {
    return this.#state;
  }

  /** Live tasks of the group (subgroups not counted). */
  get size(): number {
    return this.#node.pending;
  }

  /**
   * Starts `fn` as a task of the group; its body runs after `spawn` returns. The handle's
   * `cancel()` cancels that task only.
   *
   * @throws GroupClosedError when the group is closing or closed
   */
  spawn<T>(fn: TaskFn<T>, options?: SpawnOptions): Task<T> & AsyncDisposable {
    validateFunction(fn, 'fn');
    validateOptions(options, 'options');
    validateString(options?.name, 'options.name');
    if (this.#state !== 'open')
      throw new GroupClosedError(
        `Cannot spawn a task in Group "${this.name}": it is ${this.#state}`,
      );
    return this.#node.spawn(fn, options?.name);
  }

  /**
   * Makes a task of a promise that knows nothing of cancellation: the task settles with it,
   * or is cancelled (abandoning the promise, whose later rejection is handled) when the group
   * closes.
   *
   * @throws GroupClosedError when the group is closing or closed
   */
  wrap<T>(promise: PromiseLike<T>, options?: SpawnOptions): Task<T> & AsyncDisposable {
    if (typeof (promise as { then?: unknown } | null)?.then !== 'function')
      throw invalidType('promise', 'a promise', promise);
    if (this.#state !== 'open')
      throw new GroupClosedError(
        `Cannot wrap a promise in Group "${this.name}": it is ${this.#state}`,
      );
    return this.spawn(() => abandonOnCancel(promise), options);
  }

  /**
   * A group closed with this one (never the reverse); a closed subgroup detaches itself.
   *
   * @param options - defaults to this group's exception handler
   * @throws GroupClosedError when this group is closing or closed
   */
  createSubgroup(options?: GroupOptions): Group {
    if (this.#state !== 'open')
      throw new GroupClosedError(
        `Cannot create a subgroup of Group "${this.name}": it is ${this.#state}`,
      );
    const child = newSubgroup(this, options);
    (this.#subgroups ??= new Set()).add(child);
    return child;
  }

  /**
   * Starts closing: the group is closing at once, its subgroups are closed and its tasks
   * cancelled; it is closed when every task and subgroup has finished (at once when there is
   * none). Idempotent and synchronous.
   */
  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closing?.resolve();
    if (this.#subgroups !== undefined) for (const child of [...this.#subgroups]) child.close();
    this.#node.cancel(new CancelledError(`Group "${this.name}" was closed`));
    this.#checkClosed();
  }

  /** `close()`, then waits until closed; the wait is cancellable, the closing goes on. */
  asyncClose(): Promise<void> {
    this.close();
    return this.waitClosed();
  }

  /** Waits until the group is closing. Cancelling the wait cancels nothing else. */
  waitClosing(): Promise<void> {
    if (this.#state !== 'open') return Promise.resolve();
    this.#closing ??= waiters();
    return wait(this.#closing.promise);
  }

  /** Waits until the group is closed. Cancelling the wait cancels nothing else. */
  waitClosed(): Promise<void> {
    if (this.#state === 'closed') return Promise.resolve();
    this.#closed ??= waiters();
    return wait(this.#closed.promise);
  }

  /** `asyncClose()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.asyncClose();
  }

  #checkClosed(): void {
    if (this.#state !== 'closing' || this.#node.pending > 0 || (this.#subgroups?.size ?? 0) > 0)
      return;
    this.#state = 'closed';
    this.#node.close();
    this.#leaveRun?.();
    this.#closed?.resolve();
    const parent = this.#parent;
    if (parent !== undefined) {
      parent.#subgroups?.delete(this);
      parent.#checkClosed();
    }
  }
}

/** A wait for `promise` that the caller's cancellation ends (and nothing else). */
function wait(promise: Promise<void>): Promise<void> {
  return cancellable<void>((resolve) => {
    void promise.then(resolve);
  });
}

// Outside the class body: a class that names itself in its body is renamed by the bundler.
function newSubgroup(parent: Group, options: GroupOptions | undefined): Group {
  return new Group(new SubgroupInit(parent, options) as GroupOptions);
}
