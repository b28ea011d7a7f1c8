import type { CancelNode, CancelWakeTarget } from './cancel-node.js';
import { cancellable, type SignalOptions } from './cancellable.js';
import { type Clock, realClock } from './clock.js';
import { currentClock } from './current-clock.js';
import { currentNode } from './current-node.js';
import { validateDuration } from './validate.js';

/**
 * Waits `ms` milliseconds on the current clock. A checkpoint: it rejects at once, with the
 * reason as it is, when the signal or the ambient scope is cancelled, and the timer is
 * cleared when either is cancelled while waiting.
 *
 * @param ms - a finite number ≥ 0
 * @param options - `signal`: also cancels the wait (the ambient scope always does)
 * @throws RangeError (as a rejection) for a negative, NaN or infinite `ms`
 * @example
 * ```ts
 * import { sleep } from '@aiotools/core';
 *
 * await sleep(250);
 * try {
 *   await sleep(5_000, { signal: AbortSignal.timeout(100) }); // rejects after 100 ms
 * } catch (error) {
 *   console.log((error as DOMException).name); // TimeoutError (the signal's reason, as it is)
 * }
 * ```
 */
export function sleep(ms: number, options?: SignalOptions): Promise<void> {
  try {
    validateDuration(ms, 'ms');
  } catch (error) {
    return Promise.reject(error);
  }
  // The common case, a sleep in the ambient scope, keeps its whole state in one object.
  const node = options === undefined ? currentNode() : undefined;
  if (node !== undefined) {
    if (node.cancelled) return Promise.reject(node.reason);
    try {
      return new SleepInNode(node, ms).promise;
    } catch (error) {
      // a clock whose setTimer throws: reported as a rejection, as cancellable() does
      return Promise.reject(error);
    }
  }
  return cancellable<void>((resolve) => {
    const clock = currentClock();
    const handle = clock.setTimer(resolve, ms);
    return () => clock.clearTimer(handle);
  }, options);
}

/** `cancellable()` specialised for a timer in a node: the wait record is its own waker. */
class SleepInNode implements CancelWakeTarget {
  readonly promise: Promise<void>;
  readonly #resolve: () => void;
  readonly #reject: (reason: unknown) => void;
  readonly #node: CancelNode;
  readonly #clock: Clock;
  readonly #timer: unknown;
  #settled = false;

  constructor(node: CancelNode, ms: number) {
    this.#node = node;
    this.promise = new Promise<void>(capture);
    this.#resolve = captured.resolve;
    this.#reject = captured.reject;
    const clock = currentClock();
    this.#clock = clock;
    // On the real clock the timer calls one shared function with the record as its argument.
    this.#timer =
      clock === realClock && ms <= MAX_TIMEOUT
        ? setTimeout(fireSleep, ms, this)
        : clock.setTimer(() => this.fire(), ms);
    node.onCancel(this);
  }

  /** The time is up (not `#private`: a private method would cost every sleep a slot). */
  fire(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#node.offCancel(this);
    this.#resolve();
  }

  wake(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    // Settle even when clearing throws: the error then surfaces as an uncaught exception.
    try {
      this.#clock.clearTimer(this.#timer);
    } finally {
      this.#reject(reason);
    }
  }
}

const MAX_TIMEOUT = 2_147_483_647;

function fireSleep(sleep: SleepInNode): void {
  sleep.fire();
}

// `new Promise(capture)` hands its settling functions over without a closure per promise.
const captured: { resolve: () => void; reject: (reason: unknown) => void } = {
  resolve: () => undefined,
  reject: () => undefined,
};

function capture(resolve: () => void, reject: (reason: unknown) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}
