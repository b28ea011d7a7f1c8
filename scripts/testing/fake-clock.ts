// A minimal manual clock for tests, installed through core's `installClock`. Time moves only
// when the test calls `advance`/`runAll`; timers fire in deadline order, FIFO on ties, and the
// event loop is allowed to settle after each one.
import { type Clock, installClock } from '../../packages/core/src/index.js';
import { settle } from './settle.js';

export { settle };

interface FakeTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export class FakeClock implements Clock, Disposable {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];
  private readonly installed: Disposable;

  constructor(start = 0) {
    this.time = start;
    this.installed = installClock(this);
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const timer: FakeTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, callback };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    const i = this.timers.indexOf(handle as FakeTimer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of timers not fired yet. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    while (this.timers.length > 0 && this.timers[0]!.at <= end) {
      const timer = this.timers.shift()!;
      this.time = timer.at;
      timer.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }

  /** Fires timers (jumping time) until none is left, at most `limit` of them. */
  async runAll(limit = 10_000): Promise<void> {
    await settle();
    for (let n = 0; this.timers.length > 0; n++) {
      if (n >= limit) throw new Error(`FakeClock.runAll: more than ${limit} timers fired`);
      const timer = this.timers.shift()!;
      this.time = timer.at;
      timer.callback();
      await settle();
    }
  }

  [Symbol.dispose](): void {
    this.timers = [];
    this.installed[Symbol.dispose]();
  }
}
