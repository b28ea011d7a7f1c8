import type { HeapEntry } from './timer-heap.js';

/** What a timer needs from the clock that owns it (implemented by `VirtualClock`). */
export interface TimerHost {
  setRef(timer: VirtualTimeout, ref: boolean): void;
  rearm(timer: VirtualTimeout): void;
  cancel(timer: VirtualTimeout): void;
  idOf(timer: VirtualTimeout): number;
}

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
export class VirtualTimeout implements HeapEntry {
  /** @internal deadline on the clock's scale */
  at = 0;
  /** @internal arrival order, for FIFO ties */
  seq = 0;
  /** @internal slot in the heap, -1 when not pending */
  index = -1;
  /** @internal keeps the process alive (and makes the clock jump to it) */
  refed = true;
  /** @internal a jump target even when unref'd (AbortSignal.timeout) */
  target = false;
  /** @internal cleared: `refresh()` no longer re-arms it */
  destroyed = false;
  /** @internal numeric id once asked for, 0 before */
  id = 0;
  /** @internal asked for with a delay < 1 ms that Node rounds up to 1 (`setInterval(f, 0)`) */
  zero = false;

  /** @internal */
  constructor(
    private readonly host: TimerHost,
    /** @internal */ readonly callback: (...args: unknown[]) => void,
    /** @internal */ readonly args: readonly unknown[] | undefined,
    /** @internal the delay in ms */ readonly delay: number,
    /** @internal the period in ms, 0 for a one-shot timer */ readonly repeat: number,
  ) {}

  /** Makes the timer keep the process alive again (the default). Returns the timer. */
  ref(): this {
    this.host.setRef(this, true);
    return this;
  }

  /** Lets the process end while the timer is pending; it then never causes a jump of time. */
  unref(): this {
    this.host.setRef(this, false);
    return this;
  }

  /** Whether the timer keeps the process alive. */
  hasRef(): boolean {
    return this.refed;
  }

  /** Restarts the timer: it fires `delay` ms from now (also after it fired once). */
  refresh(): this {
    if (!this.destroyed) this.host.rearm(this);
    return this;
  }

  /** Cancels the timer, as `clearTimeout(timer)`. */
  close(): this {
    this.host.cancel(this);
    return this;
  }

  /** A numeric id that `clearTimeout`/`clearInterval` accept while the clock is installed. */
  [Symbol.toPrimitive](): number {
    return this.host.idOf(this);
  }

  [Symbol.dispose](): void {
    this.host.cancel(this);
  }
}
