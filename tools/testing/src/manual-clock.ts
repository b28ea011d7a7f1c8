// A clock that moves only when a test says so, for @aiotools/core's own tests: core sits below
// @aiotools/vclock in the package graph, so its tests cannot use the VirtualClock. It has the
// shape of core's `Clock` (now, setTimer, clearTimer) and is installed with core's
// `installClock`. Every other package tests on the VirtualClock.

interface ManualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

export class ManualClock {
  #now = 0;
  #seq = 0;
  #timers: ManualTimer[] = [];

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const timer: ManualTimer = { at: this.#now + ms, seq: this.#seq++, callback };
    this.#timers.push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer !== handle);
  }

  /** Timers set and neither fired nor cleared. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves the time forward by `ms`, firing the timers that fall due in order (FIFO among equal
   * times) and letting promise jobs run after each one and before returning.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await drain();
    for (;;) {
      const next = this.#next(end);
      if (next === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = next.at;
      next.callback();
      await drain();
    }
    this.#now = end;
  }

  #next(end: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.at > end) continue;
      if (
        best === undefined ||
        timer.at < best.at ||
        (timer.at === best.at && timer.seq < best.seq)
      )
        best = timer;
    }
    return best;
  }
}

async function drain(): Promise<void> {
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
