/**
 * Calls `step` once the promise jobs that are queued now have run, together with the
 * `nextTick` callbacks they queue and the promise jobs those queue — without a turn of the
 * event loop. Node drains the whole microtask queue before it looks at the `nextTick` queue
 * again, so a microtask → nextTick → microtask → nextTick relay ends behind all of them.
 * One relay is reused for a burst of timers; `live = false` stops it. (`then` on a settled
 * promise queues a microtask more cheaply than `queueMicrotask`, which makes an AsyncResource.)
 */
const resolved = Promise.resolve();

export class Relay {
  live = true;

  constructor(private readonly step: (relay: Relay) => void) {}

  start(): void {
    void resolved.then(this.first);
  }

  private readonly first = (): void => {
    if (this.live) process.nextTick(this.second);
  };

  private readonly second = (): void => {
    if (this.live) void resolved.then(this.third);
  };

  private readonly third = (): void => {
    if (this.live) process.nextTick(this.fourth);
  };

  private readonly fourth = (): void => {
    if (this.live) this.step(this);
  };
}
