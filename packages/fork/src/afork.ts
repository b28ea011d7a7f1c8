import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { cancellable, realClock } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateBoolean,
  validateDuration,
  validateOptions,
  validateSignal,
  validateString,
} from '@aiotools/core/internal';
import { type ChildProcess, ChildProcessHandle } from './child-process.js';
import { ForkError } from './fork-error.js';
import { ProcessTracker } from './process-tracker.js';

/**
 * Options of {@link afork}.
 *
 * @example
 * ```ts
 * import { afork, type AforkOptions } from '@aiotools/fork';
 *
 * const options: AforkOptions = { exportName: 'main', args: [42], readyTimeout: 10_000 };
 * const child = await afork(new URL('./job.js', import.meta.url), options);
 * ```
 */
export interface AforkOptions {
  /**
   * The export of the entry module to call; it must be a function.
   * @default 'default'
   */
  readonly exportName?: string | undefined;
  /**
   * Spread into the call, `fn(...args)`; copied with the structured clone algorithm, so Map,
   * Set, BigInt, Date and typed arrays arrive as they are.
   * @default []
   */
  readonly args?: readonly unknown[] | undefined;
  /**
   * The child's whole environment: it replaces the parent's, as in `child_process`.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /**
   * The child leads a new process group (and session), and `sendSignal`, `terminate` and the
   * child's own exit on parent death reach the whole group, grandchildren included.
   * @default false
   */
  readonly processGroup?: boolean | undefined;
  /**
   * Cancels the readiness wait (the child is killed and `afork` rejects with the reason as it
   * is, like the ambient scope does); after the child is ready, aborting it terminates the
   * child (`terminate()`).
   * @default none
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Milliseconds the child may take to become ready (a finite number ≥ 0); past it the child is
   * killed and `afork` rejects with a {@link ForkError}.
   * @default none: no limit
   */
  readonly readyTimeout?: number | undefined;
}

/** What the bootstrap sends back before calling the function. */
type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string; readonly error?: unknown };

/**
 * Runs a function exported by a module in a child Node.js process, like aiotools' `afork`:
 * the child imports `entry` (its top level runs), checks the export is a function, reports
 * ready, then calls it with `...args`; its return value becomes the exit code. `afork` resolves
 * only once the child is ready, so a signal sent right after reaches the handlers the module
 * installed. The child inherits `process.execArgv` (a loader such as `--import tsx` carries
 * over), its stdout and stderr go to the parent's, and it exits when the parent dies.
 *
 * The readiness wait is cancelled by `options.signal` and by the ambient scope: the child is
 * killed (its group with `processGroup`) and reaped, then `afork` rejects with the reason as
 * it is. Once ready, the child's lifetime follows `options.signal` alone: dispose the handle
 * (`await using`) or pass `currentSignal()` to tie it to a scope.
 *
 * @param entry - the module: a URL, a `file:` URL string, or a file path (relative to the
 * current directory)
 * @returns the handle of the ready child
 * @throws TypeError / RangeError (as a rejection) for an invalid argument, before any process
 * exists; {@link ForkError} when the child ends before it is ready
 * @example
 * ```ts
 * import { afork } from '@aiotools/fork';
 *
 * // job.js: export default async function (n) { return n * 2; }
 * await using child = await afork(new URL('./job.js', import.meta.url), { args: [21] });
 * console.log(await child.wait()); // 42
 * ```
 */
export async function afork(entry: string | URL, options?: AforkOptions): Promise<ChildProcess> {
  const url = entryUrl(entry);
  validateOptions(options, 'options');
  const exportName = options?.exportName ?? 'default';
  validateString(exportName, 'options.exportName');
  const args = options?.args ?? [];
  validateArgs(args);
  const env = options?.env;
  validateOptions(env, 'options.env');
  const processGroup = options?.processGroup ?? false;
  validateBoolean(processGroup, 'options.processGroup');
  const signal = options?.signal;
  validateSignal(signal, 'options.signal');
  const readyTimeout = options?.readyTimeout;
  if (readyTimeout !== undefined) validateDuration(readyTimeout, 'options.readyTimeout');

  const program = bootstrap();
  let tracker: ProcessTracker | undefined;
  try {
    return await cancellable<ChildProcess>((resolve, reject) => {
      const child = fork(program.path, [], {
        execArgv: program.execArgv,
        env: env ?? process.env,
        detached: processGroup,
        serialization: 'advanced',
        // stdin is not shared: a parent reading its terminal and a child reading the same one
        // would race for every line.
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      });
      const started = new ProcessTracker(child, processGroup);
      tracker = started;
      let settled = false;
      let timedOut = false;
      let failure: Extract<ChildMessage, { type: 'failed' }> | undefined;
      const timer =
        readyTimeout === undefined
          ? undefined
          : realClock.setTimer(() => {
              timedOut = true;
              started.sendSignal('SIGKILL');
            }, readyTimeout);
      const finish = () => {
        settled = true;
        if (timer !== undefined) realClock.clearTimer(timer);
        child.off('message', onMessage);
        child.off('error', onSpawnError);
      };
      const onMessage = (message: ChildMessage) => {
        if (settled) return;
        if (message?.type === 'ready') {
          finish();
          resolve(new ChildProcessHandle(started, signal));
        } else if (message?.type === 'failed') failure = message;
      };
      // Only a failed spawn leaves no pid; later errors belong to the tracker.
      const onSpawnError = (error: unknown) => {
        if (settled || child.pid !== undefined) return;
        finish();
        reject(error);
      };
      child.on('message', onMessage);
      child.on('error', onSpawnError);
      // An exit before 'ready' is a failure once what the child wrote before it has been read
      // (its 'ready' may still be in the channel); after ready the exit is the handle's.
      void started.exited.then(async () => {
        if (settled) return;
        await started.drained();
        if (settled) return;
        finish();
        reject(failedBeforeReady(started, url, { timedOut, readyTimeout, failure }));
      });
      child.send({ type: 'start', entry: url, exportName, args, processGroup }, () => {
        // A child that died before reading it is reported by its exit.
      });
      return () => {
        finish();
        started.sendSignal('SIGKILL');
      };
    }, options);
  } catch (error) {
    // No child is left behind: a cancelled or failed start is reaped before the rejection.
    if (tracker !== undefined && tracker.pid !== 0) {
      tracker.sendSignal('SIGKILL');
      await tracker.exited;
    }
    throw error;
  }
}

/** The ForkError for a child that ended before its ready message. */
function failedBeforeReady(
  tracker: ProcessTracker,
  url: string,
  why: {
    timedOut: boolean;
    readyTimeout: number | undefined;
    failure: Extract<ChildMessage, { type: 'failed' }> | undefined;
  },
): ForkError {
  const exitCode = tracker.exitCode ?? 0;
  const signal = tracker.signalName;
  const how = signal === null ? `exit code ${exitCode}` : `killed by ${signal}`;
  let message: string;
  if (why.timedOut) {
    message = `The child process for ${url} was not ready within ${why.readyTimeout} ms (readyTimeout) and was killed`;
  } else if (why.failure !== undefined) {
    message = `The child process for ${url} failed before it was ready (${how}): ${why.failure.message}`;
  } else {
    message = `The child process for ${url} exited before it was ready (${how})`;
  }
  return new ForkError(message, {
    exitCode,
    signal,
    stderr: tracker.stderr,
    cause: why.failure?.error,
  });
}

/** The entry as the URL the child imports. */
function entryUrl(entry: unknown): string {
  if (entry instanceof URL) return entry.href;
  if (typeof entry !== 'string') throw invalidType('entry', 'a string or a URL', entry);
  if (entry === '') throw invalidRange('entry', 'a file path or a URL', entry);
  // A scheme has two letters or more, so a Windows drive (`C:\`) stays a path.
  if (/^[a-z][a-z\d+.-]+:/i.test(entry)) return entry;
  return pathToFileURL(resolvePath(entry)).href;
}

function validateArgs(args: unknown): asserts args is readonly unknown[] {
  if (!Array.isArray(args)) throw invalidType('options.args', 'an array', args);
  args.forEach((arg: unknown, i) => {
    try {
      serialize(arg);
    } catch {
      throw invalidType(`options.args[${i}]`, 'a value the structured clone algorithm copies', arg);
    }
  });
}

/**
 * The program the child runs and the Node.js options it runs with. Built, the bootstrap is
 * dist/child-main.js beside this module. Run from the TypeScript sources (the package's unit
 * tests load them through the test runner's own transform, not a Node.js loader, so
 * `process.execArgv` has none) it is src/child-main.ts, and the child gets tsx, a development
 * dependency of the repository, unless a loader is there already.
 */
function bootstrap(): { path: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(
    new URL(fromSources ? './child-main.ts' : './child-main.js', import.meta.url),
  );
  if (!fromSources || process.execArgv.some((arg) => arg.includes('tsx'))) {
    return { path, execArgv: process.execArgv };
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { path, execArgv: [...process.execArgv, '--import', tsx] };
}
