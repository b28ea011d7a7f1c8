import type { TimerEntry } from './timer-entry.js';

/**
 * A timer on virtual time. The faked `setTimeout`/`setInterval` return it in place of Node's
 * `Timeout`, with the same methods: `ref`, `unref`, `hasRef`, `refresh`, `close`, a numeric
 * id through `Symbol.toPrimitive` (so `clearTimeout(+timer)` works) and `Symbol.dispose`.
 *
 * @example
 * ```ts
 * import { installVirtualClock } from '@aiotools/vclock';
 *
 * using clock = installVirtualClock({ autojump: false });
 * const timer = setTimeout(() => console.log('late'), 1000);
 * timer.unref();
 * clearTimeout(Number(timer));
 * ```
 */
export class VirtualTimeout {
  // Deadline, heap slot, ref state and id live in the entry, which the clock's timer table owns.
  readonly #entry: TimerEntry;

  /**
   * @internal Only the timer table creates handles; the type is exported, the class is not.
   */
  constructor(entry: TimerEntry) {
    this.#entry = entry;
  }

  /** Makes the timer keep the process alive again (the default). Returns the timer. */
  ref(): this {
    this.#entry.table.setRef(this.#entry, true);
    return this;
  }

  /** Lets the process end while the timer is pending; it then never causes a jump of time. */
  unref(): this {
    this.#entry.table.setRef(this.#entry, false);
    return this;
  }

  /** Whether the timer keeps the process alive. */
  hasRef(): boolean {
    return this.#entry.refed;
  }

  /** Restarts the timer: it fires `delay` ms from now (also after it fired once). */
  refresh(): this {
    const entry = this.#entry;
    if (!entry.destroyed) entry.table.rearm(entry);
    return this;
  }

  /** Cancels the timer, as `clearTimeout(timer)`. */
  close(): this {
    this.#entry.table.cancel(this.#entry);
    return this;
  }

  /** A numeric id that `clearTimeout`/`clearInterval` accept while the clock is installed. */
  [Symbol.toPrimitive](): number {
    return this.#entry.table.idOf(this.#entry);
  }

  /** Cancels the timer, as `close()`: `using timer = setTimeout(…)`. */
  [Symbol.dispose](): void {
    this.#entry.table.cancel(this.#entry);
  }
}
