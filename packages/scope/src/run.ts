import { constants } from 'node:os';
import { CancelledError, type CancelNode, currentNode, isCancellation } from '@aiotools/core';
import {
  validateBoolean,
  validateFunction,
  validateOptions,
  validateSignalNames,
} from '@aiotools/core/internal';
import { ScopeNode } from './scope-node.js';
import { scopeState } from './shared-state.js';

/** Options of {@link run}. */
export interface RunOptions {
  /**
   * The OS signals that cancel `main`; `false` installs no handler. Each must be a name of
   * `os.constants.signals` other than `SIGKILL` and `SIGSTOP`.
   * @default ['SIGINT', 'SIGTERM']
   */
  readonly signals?: readonly NodeJS.Signals[] | false | undefined;
  /**
   * When one of `signals` ended `main` (it rejected with a cancellation after the signal),
   * resolve with `undefined` instead of rejecting, after writing one line
   * (`Stopped by SIGINT`) to stderr and setting `process.exitCode` to 128 + the signal's
   * number (130 for SIGINT, 143 for SIGTERM), so that the process ends the conventional way
   * once its event loop is empty.
   * @default false
   */
  readonly exitOnSignal?: boolean | undefined;
}

/** What run() needs of a hat-style Group it closes at the end. */
interface RunGroup {
  close(): void;
}

/** The Groups created under one run() that are not closed yet. */
class RunGroups {
  readonly #groups = new Set<RunGroup>();
  #closing = false;
  #wake: (() => void) | undefined = undefined;

  add(node: CancelNode, group: RunGroup): () => void {
    this.#groups.add(group);
    groupsOfRoot.set(node, this);
    // A group created while the others close is closed on the next pass.
    if (this.#closing) this.#wake?.();
    return () => {
      this.#groups.delete(group);
      groupsOfRoot.delete(node);
      if (this.#groups.size === 0) this.#wake?.();
    };
  }

  /** Closes every group and waits until each is closed; never rejects, not cancellable. */
  async closeAll(): Promise<void> {
    this.#closing = true;
    while (this.#groups.size > 0) {
      const woken = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      for (const group of [...this.#groups]) group.close();
      if (this.#groups.size > 0) await woken;
    }
    this.#wake = undefined;
  }
}

/**
 * The root node of a running run(), and the node of every Group enrolled with one, to that
 * run's groups, shared by every copy of the package (a Group of one copy created under another
 * copy's run() is closed by it). Entries go when the group closes or the run ends, so nothing is
 * kept per Group.
 */
const groupsOfRoot = scopeState.runs;

/**
 * Enrols a Group that was just created (not a subgroup), whose node is `node`, with the run()
 * it was created under: the root of the ambient node is that run's root node, or the node of a
 * Group enrolled with it (a Group created in a task of such a Group). The Group calls the
 * returned function once it is closed; `undefined` outside every run().
 */
export function enrolInRun(node: CancelNode, group: RunGroup): (() => void) | undefined {
  let ambient = currentNode();
  if (ambient === undefined) return undefined;
  while (ambient.parent !== undefined) ambient = ambient.parent;
  return groupsOfRoot.get(ambient)?.add(node, group);
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Runs `main` as the root scope of the program. The first of the given signals cancels it
 * once (with a `CancelledError` `Received SIGINT`), so its scopes unwind and shielded
 * cleanup runs; further signals while it unwinds are ignored (the handlers stay installed so
 * that Node does not exit meanwhile — send `SIGKILL` to force it). Once `main` has settled,
 * the root scope is cancelled, and every `Group` created under `run()` (inside `main`, its
 * scopes and tasks, or the tasks of such a Group) that is still open is closed and awaited,
 * so nothing started under it outlives it; then the handlers are removed. Their tasks'
 * failures go to each Group's `exceptionHandler`, as always, and do not change the result.
 *
 * @param main - receives the root scope's signal
 * @returns `main`'s value; `undefined` when `exitOnSignal` is set and a signal ended `main`
 * @throws `main`'s error, e.g. the signal's `CancelledError` when `main` let it through;
 * TypeError/RangeError for bad arguments, before any handler is installed — all as rejections
 * @example
 * ```ts
 * import { run, TaskGroup } from '@aiotools/scope';
 *
 * // Ctrl-C cancels main; the process then exits with code 130 and prints "Stopped by SIGINT".
 * await run(
 *   async () => {
 *     await TaskGroup.run(async (tg) => {
 *       tg.spawn(serveHttp);
 *       tg.spawn(consumeQueue);
 *     });
 *   },
 *   { exitOnSignal: true },
 * );
 * ```
 */
export function run<T>(
  main: (signal: AbortSignal) => Promise<T> | T,
  options?: RunOptions & { readonly exitOnSignal?: false | undefined },
): Promise<T>;
/**
 * {@link run} with `exitOnSignal`: resolves with `undefined` (after setting `process.exitCode`
 * to 128 + the signal number and writing one line to stderr) when a signal ended `main`.
 *
 * @example
 * ```ts
 * import { run } from '@aiotools/scope';
 *
 * await run(serveHttp, { exitOnSignal: true }); // Ctrl-C: "Stopped by SIGINT", exit code 130
 * ```
 */
export function run<T>(
  main: (signal: AbortSignal) => Promise<T> | T,
  options?: RunOptions,
): Promise<T | undefined>;
export async function run<T>(
  main: (signal: AbortSignal) => Promise<T> | T,
  options?: RunOptions,
): Promise<T | undefined> {
  validateFunction(main, 'main');
  validateOptions(options, 'options');
  const requested = options?.signals === undefined ? DEFAULT_SIGNALS : options.signals;
  if (requested !== false) validateSignalNames(requested, 'options.signals');
  validateBoolean(options?.exitOnSignal, 'options.exitOnSignal');
  const signals = requested === false ? [] : [...new Set(requested)];
  const root = { name: 'main', state: 'running' };
  const node = new ScopeNode(undefined, { owner: root, kind: 'run', name: 'main' });
  const groups = new RunGroups();
  groupsOfRoot.set(node, groups);
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received !== undefined) return;
    received = signal;
    root.state = `cancelled by ${signal}`;
    node.cancel(new CancelledError(`Received ${signal}`));
  };
  let failed = false;
  let failure: unknown;
  let value: T | undefined;
  try {
    for (const signal of signals) process.on(signal, onSignal);
    value = await node.run(() => main(node.signal));
  } catch (error) {
    failed = true;
    failure = error;
  } finally {
    node.cancel(new CancelledError('main has returned'));
    await groups.closeAll();
    groupsOfRoot.delete(node);
    node.close();
    for (const signal of signals) process.off(signal, onSignal);
  }
  if (!failed) return value;
  if (options?.exitOnSignal === true && received !== undefined && isCancellation(failure)) {
    process.exitCode = 128 + constants.signals[received];
    process.stderr.write(`Stopped by ${received}\n`);
    return undefined;
  }
  throw failure;
}
