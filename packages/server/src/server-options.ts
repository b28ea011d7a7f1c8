import type { MainContext } from './main-context.js';

/**
 * How `startServer` runs the workers:
 * - `'cluster'` (the default): `node:cluster` workers that share every listening port through
 *   the primary;
 * - `'reusePort'`: plain child processes, each listening on its own socket with
 *   `listen({ reusePort: true })`, balanced by the kernel (Node.js ≥ 22.12 on Linux);
 * - `'inline'`: the worker context runs in the calling process itself, with no primary and no
 *   child: one process per container.
 */
export type ServerMode = 'cluster' | 'reusePort' | 'inline';

/** What an extra process's function receives. */
export interface ExtraProcInfo {
  /** Its {@link processIndex}: `numWorkers + i` for `extraProcs[i]`. */
  readonly index: number;
  /** The main context's value, then `startServer`'s `args`. */
  readonly args: unknown[];
  /** Aborted when the server stops, with an {@link InterruptedBySignal} as its reason. */
  readonly signal: AbortSignal;
}

/**
 * A function run in a process of its own beside the workers (aiotools' `extra_procs`): the
 * process exits when it returns (code 0) or throws (code 1). Its `signal` aborts on the stop
 * signal; a rejection with that signal's reason counts as a clean stop.
 */
export type ExtraProc = (info: ExtraProcInfo) => Promise<void> | void;

/**
 * Restarting a process that ends after its startup finished, before the server was told to
 * stop: a worker or extra process that crashes (an uncaught error, a non-zero exit, a signal),
 * and a worker that stopped on its own (a signal sent to it alone). A process that fails its
 * first startup is not restarted: that stops the server.
 */
export interface RestartPolicy {
  /** How many times one index may be restarted before the server gives up (exit code 1). */
  readonly maxRestarts: number;
  /** The delay before the first restart of an index, in ms; it doubles at each restart. */
  readonly backoff: number;
  /**
   * How long, in ms, a restarted process must have run since its startup for its index to
   * count as healthy again: its restart count and backoff start over. @default Infinity (never)
   */
  readonly resetAfter?: number | undefined;
}

/** Options of `startServer`. */
export interface StartServerOptions {
  /** The primary's context; its yielded value is prepended to `args`. */
  readonly main?: MainContext | undefined;
  /** Functions run in processes of their own, with the indices after the workers'. */
  readonly extraProcs?: readonly ExtraProc[] | undefined;
  /** The signals that stop the server. @default ['SIGINT', 'SIGTERM'] */
  readonly stopSignals?: readonly NodeJS.Signals[] | undefined;
  /** The signal that makes the primary replace every process, one at a time; `null` for none. @default 'SIGHUP' */
  readonly reloadSignal?: NodeJS.Signals | null | undefined;
  /** How many worker processes run the worker context (1 in inline mode). @default 1 */
  readonly numWorkers?: number | undefined;
  /** Arguments given to every worker and extra process, after the main context's value. @default [] */
  readonly args?: readonly unknown[] | undefined;
  /** How long, in ms, the processes may take to stop before they are killed with SIGKILL. @default Infinity */
  readonly waitTimeout?: number | undefined;
  /**
   * Each process runs its startup, then its shutdown right away (with the default stop
   * signal: SIGTERM if listed, else the first), and exits; the server ends when all have.
   * @default false
   */
  readonly runToCompletion?: boolean | undefined;
  /** Keep the other processes running when one fails. @default false (true with `runToCompletion`) */
  readonly ignoreChildInterrupts?: boolean | undefined;
  /** Restart processes that end after their startup; by default such an end stops the server. */
  readonly restart?: RestartPolicy | undefined;
  /** How the workers run. @default 'cluster' */
  readonly mode?: ServerMode | undefined;
  /** Called in the primary once every process finished its startup. */
  readonly onReady?: (() => void) | undefined;
}
