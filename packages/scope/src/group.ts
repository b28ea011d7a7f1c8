import { abandonOnCancel, CancelledError, cancellable, type Task } from '@aiotools/core';
import { validateFunction, validateOptions } from '@aiotools/core/internal';
import { type ExceptionHandler, reportTaskError } from './exception-handler.js';
import { GroupClosedError } from './group-closed-error.js';
import { enrolInRun } from './run.js';
import { ScopeNode } from './scope-node.js';
import type { TaskFn } from './task-fn.js';
import type { SpawnOptions } from './task-group.js';
import { REJECTED, type Settlement, type TaskHandle } from './task-handle.js';
import { TaskHost } from './task-host.js';
import { validateName } from './validate-name.js';

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

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;
let counter = 0;
let nextParent: Group | undefined;

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
export class Group extends TaskHost implements AsyncDisposable {
  /** @internal */
  readonly node: ScopeNode;
  readonly name: string;
  private readonly _handler: ExceptionHandler | null | undefined;
  private readonly _parent: Group | undefined;
  private _subgroups: Set<Group> | undefined = undefined;
  private _state = OPEN;
  private _closing: Waiters | undefined = undefined;
  private _closed: Waiters | undefined = undefined;
  /** Leaves the run() that closes this group when it ends (a root group created under one). */
  private readonly _leaveRun: (() => void) | undefined;

  /** @throws TypeError for bad options */
  constructor(options?: GroupOptions) {
    super();
    const parent = nextParent;
    nextParent = undefined;
    validateOptions(options, 'options');
    validateName(options?.name, 'options.name');
    const handler = options?.exceptionHandler;
    if (handler !== undefined && handler !== null)
      validateFunction(handler, 'options.exceptionHandler');
    this._handler = handler === undefined ? parent?._handler : handler;
    this._parent = parent;
    this.name = options?.name ?? `Group-${++counter}`;
    this.node = new ScopeNode(parent?.node, this, 'group', this.name);
    this._leaveRun = parent === undefined ? enrolInRun(this) : undefined;
  }

  /** The group itself (so that a `Group` is a {@link Resource}). */
  get asyncGroup(): Group {
    return this;
  }

  /** Neither closing nor closed. */
  get isOpen(): boolean {
    return this._state === OPEN;
  }

  /** Closing or closed. */
  get isClosing(): boolean {
    return this._state !== OPEN;
  }

  /** Every task and subgroup has finished after `close()`. */
  get isClosed(): boolean {
    return this._state === CLOSED;
  }

  /** `'open'`, `'closing'` or `'closed'`. */
  get state(): string {
    return this._state === OPEN ? 'open' : this._state === CLOSING ? 'closing' : 'closed';
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
    validateName(options?.name, 'options.name');
    if (this._state !== OPEN)
      throw new GroupClosedError(
        `Cannot spawn a task in Group "${this.name}": it is ${this.state}`,
      );
    return this._spawnTask(fn, options?.name);
  }

  /**
   * Makes a task of a promise that knows nothing of cancellation: the task settles with it,
   * or is cancelled (abandoning the promise, whose later rejection is handled) when the group
   * closes.
   *
   * @throws GroupClosedError when the group is closing or closed
   */
  wrap<T>(promise: PromiseLike<T>, options?: SpawnOptions): Task<T> & AsyncDisposable {
    if (typeof (promise as { then?: unknown } | null)?.then !== 'function') {
      throw new TypeError(`Expected \`promise\` to be a promise, got \`${String(promise)}\``);
    }
    if (this._state !== OPEN)
      throw new GroupClosedError(
        `Cannot wrap a promise in Group "${this.name}": it is ${this.state}`,
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
    if (this._state !== OPEN)
      throw new GroupClosedError(
        `Cannot create a subgroup of Group "${this.name}": it is ${this.state}`,
      );
    nextParent = this;
    let child: Group;
    try {
      child = newGroup(options);
    } finally {
      nextParent = undefined;
    }
    (this._subgroups ??= new Set()).add(child);
    return child;
  }

  /**
   * Starts closing: the group is closing at once, its subgroups are closed and its tasks
   * cancelled; it is closed when every task and subgroup has finished (at once when there is
   * none). Idempotent and synchronous.
   */
  close(): void {
    if (this._state !== OPEN) return;
    this._state = CLOSING;
    this._closing?.resolve();
    if (this._subgroups !== undefined) for (const child of [...this._subgroups]) child.close();
    this.node.cancel(new CancelledError(`Group "${this.name}" was closed`));
    this._checkClosed();
  }

  /** `close()`, then waits until closed; the wait is cancellable, the closing goes on. */
  asyncClose(): Promise<void> {
    this.close();
    return this.waitClosed();
  }

  /** Waits until the group is closing. Cancelling the wait cancels nothing else. */
  waitClosing(): Promise<void> {
    if (this._state !== OPEN) return Promise.resolve();
    this._closing ??= waiters();
    return this._wait(this._closing.promise);
  }

  /** Waits until the group is closed. Cancelling the wait cancels nothing else. */
  waitClosed(): Promise<void> {
    if (this._state === CLOSED) return Promise.resolve();
    this._closed ??= waiters();
    return this._wait(this._closed.promise);
  }

  /** `asyncClose()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.asyncClose();
  }

  private _wait(promise: Promise<void>): Promise<void> {
    return cancellable<void>((resolve) => {
      void promise.then(resolve);
    });
  }

  /** @internal */
  protected _childSettled(task: TaskHandle<unknown>, state: Settlement, error: unknown): void {
    if (state === REJECTED)
      reportTaskError(
        this._handler,
        `Task "${task.name}" failed in Group "${this.name}"`,
        error,
        task,
      );
    if (this._pending === 0) this._checkClosed();
  }

  private _checkClosed(): void {
    if (this._state !== CLOSING || this._pending > 0 || (this._subgroups?.size ?? 0) > 0) return;
    this._state = CLOSED;
    this.node.close();
    this._leaveRun?.();
    this._closed?.resolve();
    const parent = this._parent;
    if (parent !== undefined) {
      parent._subgroups?.delete(this);
      parent._checkClosed();
    }
  }
}

// Outside the class body: a class that names itself in its body is renamed by the bundler.
function newGroup(options: GroupOptions | undefined): Group {
  return new Group(options);
}
