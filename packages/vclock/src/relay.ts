const resolved = Promise.resolve();

/**
 * Calls `step` once the promise jobs that are queued now have run, together with the
 * `nextTick` callbacks they queue and the promise jobs those queue — without a turn of the
 * event loop. Node drains the whole microtask queue before it looks at the `nextTick` queue
 * again, so a microtask → nextTick → microtask → nextTick relay ends behind all of them.
 * One relay is reused for a burst of timers; `live = false` stops it. (`then` on a settled
 * promise queues a microtask more cheaply than `queueMicrotask`, which makes an AsyncResource.)
 */
export class Relay {
  live = true;
  readonly #step: (relay: Relay) => void;

  constructor(step: (relay: Relay) => void) {
    this.#step = step;
  }

  start(): void {
    void resolved.then(this.#first);
  }

  readonly #first = (): void => {
    if (this.live) process.nextTick(this.#second);
  };

  readonly #second = (): void => {
    if (this.live) void resolved.then(this.#third);
  };

  readonly #third = (): void => {
    if (this.live) process.nextTick(this.#fourth);
  };

  readonly #fourth = (): void => {
    if (this.live) this.#step(this);
  };
}
