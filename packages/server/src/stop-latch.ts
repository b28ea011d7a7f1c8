import { InterruptedBySignal } from './interrupted-by-signal.js';

/**
 * The stop of a process running a context (a worker, an extra process, inline mode): the first
 * stop signal is the one kept, later ones are absorbed; `wait()` resolves once there is one.
 */
export class StopLatch {
  #signal: NodeJS.Signals | undefined;
  #wake: (() => void) | undefined;
  readonly #abort = new AbortController();

  /** The stop signal received, if any. */
  get signal(): NodeJS.Signals | undefined {
    return this.#signal;
  }

  /** Aborted on the stop, with an {@link InterruptedBySignal} as its reason. */
  get abortSignal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Records `signal` if it is the first one. */
  stop(signal: NodeJS.Signals): void {
    if (this.#signal !== undefined) return;
    this.#signal = signal;
    this.#abort.abort(new InterruptedBySignal(signal));
    this.#wake?.();
  }

  /** Resolves once a stop signal arrived; a long timer keeps the process alive meanwhile. */
  wait(): Promise<void> {
    if (this.#signal !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      // Signal handlers do not keep the event loop alive: a worker whose server is not
      // listening yet (or has none) would otherwise exit before it is told to stop.
      const keepAlive = setInterval(() => {}, 2 ** 30);
      this.#wake = () => {
        clearInterval(keepAlive);
        resolve();
      };
    });
  }
}
