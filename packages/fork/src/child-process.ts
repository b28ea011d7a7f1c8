import { constants } from 'node:os';
import { cancellable, realClock } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateDuration,
  validateOptions,
} from '@aiotools/core/internal';
import type { ProcessTracker } from './process-tracker.js';

/**
 * Options of {@link ChildProcess.terminate}.
 *
 * @example
 * ```ts
 * import { afork, type TerminateOptions } from '@aiotools/fork';
 *
 * const quick: TerminateOptions = { grace: 500 };
 * const child = await afork(new URL('./job.js', import.meta.url));
 * await child.terminate(quick);
 * ```
 */
export interface TerminateOptions {
  /**
   * Milliseconds between SIGTERM and SIGKILL, a finite number ≥ 0.
   * @default 5000
   */
  readonly grace?: number | undefined;
}

/**
 * The handle of a child started by `afork`, resolved once the child is ready. Disposing it
 * (`await using`) terminates the child. With `processGroup`, signals and termination reach the
 * child's whole process group.
 *
 * @example
 * ```ts
 * import { afork } from '@aiotools/fork';
 *
 * await using child = await afork(new URL('./job.js', import.meta.url));
 * child.sendSignal('SIGINT');
 * console.log(await child.wait()); // the job's exit code
 * ```
 */
export interface ChildProcess extends AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** The exit code in the encoding of `wait()`, or `null` while the child runs. */
  readonly exitCode: number | null;
  /**
   * Sends a signal to the child (to its group with `processGroup`). Returns false, sending
   * nothing, once the child has exited: it never signals a reaped or recycled pid.
   *
   * @throws TypeError / RangeError for a name `os.constants.signals` does not know
   */
  sendSignal(signal: NodeJS.Signals): boolean;
  /**
   * Resolves with the exit code: `n & 0xff` when the function returned the number `n`, 0 when
   * it returned anything else, 1 for an uncaught error, `-signo` when a signal killed it
   * (SIGTERM → -15). Any number of callers, before or after the exit, get the same value. The
   * ambient scope cancels the wait (not the child): it rejects with the reason.
   */
  wait(): Promise<number>;
  /**
   * Sends SIGTERM, then SIGKILL if the child has not exited after `grace` ms, and resolves
   * with the exit code. Never cancelled: it always waits for the exit.
   *
   * @throws TypeError / RangeError (as a rejection) for an invalid `grace`
   */
  terminate(options?: TerminateOptions): Promise<number>;
}

/** The implementation of {@link ChildProcess}; only `afork` creates it. */
export class ChildProcessHandle implements ChildProcess {
  readonly #tracker: ProcessTracker;
  #terminating = false;

  /**
   * @param tracker - the child, ready
   * @param signal - aborting it terminates the child, until the child exits
   */
  constructor(tracker: ProcessTracker, signal: AbortSignal | undefined) {
    this.#tracker = tracker;
    if (signal === undefined || tracker.exitCode !== null) return;
    const onAbort = () => void this.terminate();
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void tracker.exited.then(() => signal.removeEventListener('abort', onAbort));
  }

  get pid(): number {
    return this.#tracker.pid;
  }

  get exitCode(): number | null {
    return this.#tracker.exitCode;
  }

  sendSignal(signal: NodeJS.Signals): boolean {
    if (typeof signal !== 'string') {
      throw invalidType('signal', 'a signal name such as "SIGTERM"', signal);
    }
    if (!Object.hasOwn(constants.signals, signal)) {
      throw invalidRange('signal', 'a signal name known to os.constants.signals', signal);
    }
    return this.#tracker.sendSignal(signal);
  }

  wait(): Promise<number> {
    const exited = this.#tracker.exited;
    return cancellable<number>((resolve) => {
      let waiting = true;
      void exited.then((code) => {
        if (waiting) resolve(code);
      });
      return () => {
        waiting = false;
      };
    });
  }

  async terminate(options?: TerminateOptions): Promise<number> {
    validateOptions(options, 'options');
    const grace = options?.grace ?? 5000;
    validateDuration(grace, 'options.grace');
    const tracker = this.#tracker;
    if (tracker.exitCode !== null) return tracker.exited;
    // A second call does not send SIGTERM again (a child may count them), but its own grace
    // still applies: the shortest one wins.
    if (!this.#terminating) {
      this.#terminating = true;
      tracker.sendSignal('SIGTERM');
    }
    const timer = realClock.setTimer(() => tracker.sendSignal('SIGKILL'), grace);
    try {
      return await tracker.exited;
    } finally {
      realClock.clearTimer(timer);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }
}
