import { BUSY, IDLE, IdleProbe } from './idle-probe.js';
import { LoopLimitError } from './loop-limit-error.js';
import type { RealTimers } from './real-timers.js';
import { Relay } from './relay.js';
import type { TimerEntry } from './timer-entry.js';
import type { TimerTable } from './timer-table.js';

/** What the driver is configured with (the clock's validated options). */
export interface AutojumpSettings {
  readonly autojump: boolean;
  readonly loopLimit: number;
  /** `autojumpThreshold`, real ms. */
  readonly threshold: number;
  /** `ioHoldLimit`, real ms. */
  readonly holdLimit: number;
}

type DriverHandle = ReturnType<typeof setImmediate> | ReturnType<typeof setTimeout>;

/** Immediates waited for before a jump; past that, a loop of immediates is taken as busy work. */
export const MAX_TURNS = 64;
/** Timers fired back to back (see `Relay`) before the event loop is given a turn. */
const MAX_BURST = 100;

/**
 * Whether firing `entry` moves virtual time: it is due later than `now` and was not asked for
 * with a zero delay (Node runs those 1 ms later; a loop of them is the runaway the loop limit
 * is for).
 */
function movesTime(entry: TimerEntry, now: number): boolean {
  return entry.at > now && !entry.zero;
}

function rethrow(error: unknown): never {
  throw error;
}

/**
 * Autojump: fires the timers of a {@link TimerTable} on its own, jumping time to the next
 * deadline only when the {@link IdleProbe} finds the process idle. It runs from one real
 * immediate or timeout at a time (unref'd while no pending timer keeps the process alive),
 * or from a {@link Relay} for bursts of timers, and gives up with a {@link LoopLimitError}
 * after `loopLimit` timers fired without virtual time moving. `advance()`/`runAll()` pause it
 * while they step by hand.
 */
export class AutojumpDriver {
  readonly #table: TimerTable;
  readonly #autojump: boolean;
  readonly #loopLimit: number;
  readonly #probe: IdleProbe;
  #real: RealTimers;
  #attached = false;
  #handle: DriverHandle | undefined;
  #handleIsImmediate = false;
  #relay: Relay | undefined;
  #burst = 0;
  #stepping = 0;
  #fired = 0;
  #turns = 0;
  #failure: Error | undefined;
  readonly #waiters = new Set<(error: Error) => void>();

  constructor(table: TimerTable, settings: AutojumpSettings, real: RealTimers) {
    this.#table = table;
    this.#autojump = settings.autojump;
    this.#loopLimit = settings.loopLimit;
    this.#real = real;
    this.#probe = new IdleProbe(settings.threshold, settings.holdLimit, () => this.#real.now());
  }

  /** The real timers the driver runs on (those of the process when the clock was installed). */
  get real(): RealTimers {
    return this.#real;
  }

  /** The error autojump stopped on (a {@link LoopLimitError}), until the clock is uninstalled. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** At install, with the real timers of the process: starts watching real I/O. */
  attach(real: RealTimers): void {
    this.#real = real;
    this.#probe.start();
  }

  /** Once the fakes are in place: autojump may run. */
  engage(): void {
    this.#attached = true;
    this.wake();
  }

  /** At uninstall (or when the install failed): stops everything and forgets a failure. */
  detach(): void {
    this.#attached = false;
    this.#stop();
    this.#fired = 0;
    this.#turns = 0;
    this.#failure = undefined;
    this.#probe.stop();
  }

  /** `reject` is called with the failure when autojump gives up (`run()` waits on it). */
  watch(reject: (error: Error) => void): void {
    this.#waiters.add(reject);
  }

  unwatch(reject: (error: Error) => void): void {
    this.#waiters.delete(reject);
  }

  /** Called by the table with the deadline of each jump target armed. */
  targetAdded(at: number): void {
    this.wake();
    if (at <= this.#table.now && this.#handle !== undefined && !this.#handleIsImmediate) {
      // A real timeout waits for the probe; a timer due now must not wait behind it.
      this.#stop();
      this.wake();
    }
  }

  /** Stops autojump while `advance()`/`runAll()` step by hand; calls nest. */
  pause(): void {
    this.#stepping++;
    this.#stop();
  }

  resume(): void {
    this.#stepping--;
    this.#fired = 0;
    this.wake();
  }

  /** Schedules a step if time has somewhere to jump. */
  wake(): void {
    if (this.#handle !== undefined || this.#relay !== undefined) {
      if (this.#table.refs > 0) this.#handle?.ref();
      return;
    }
    if (!this.#autojump || !this.#attached || this.#stepping > 0) return;
    if (this.#failure !== undefined || this.#table.targets === 0) return;
    this.#later(0);
  }

  #later(ms: number): void {
    const real = this.#real;
    this.#handleIsImmediate = ms === 0;
    this.#handle = ms === 0 ? real.setImmediate(this.#step) : real.setTimeout(this.#step, ms);
    if (this.#table.refs === 0) this.#handle.unref();
  }

  #stop(): void {
    if (this.#relay !== undefined) {
      this.#relay.live = false;
      this.#relay = undefined;
    }
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    if (this.#handleIsImmediate)
      this.#real.clearImmediate(handle as ReturnType<typeof setImmediate>);
    else this.#real.clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /**
   * One step of autojump: fire the next timer, jumping only when the process is idle. Runs
   * from a real immediate or timeout (`relay` undefined), or from the relay of the previous
   * step: up to MAX_BURST timers fire back to back that way, then the event loop turns.
   */
  readonly #step = (relay?: Relay): void => {
    this.#handle = undefined;
    this.#relay = undefined;
    if (!this.#attached || this.#stepping > 0 || this.#failure !== undefined) return;
    const table = this.#table;
    if (table.targets === 0) {
      this.#fired = 0;
      return;
    }
    const next = table.peek()!;
    if (next.at > table.now) {
      const wait = this.#waitBeforeJump();
      if (wait >= 0) {
        if (wait > 0) this.#turns = 0;
        this.#later(wait);
        return;
      }
    }
    this.#turns = 0;
    if (movesTime(next, table.now)) this.#fired = 0;
    if (++this.#fired > this.#loopLimit) {
      this.#fail(new LoopLimitError(this.#loopLimit, table.now));
      return;
    }
    const current = relay ?? new Relay(this.#step);
    this.#relay = current;
    table.fire(next);
    if (this.#relay !== current) return; // stopped by the callback
    if (++this.#burst < MAX_BURST) {
      current.start();
      return;
    }
    this.#burst = 0;
    this.#relay = undefined;
    current.live = false;
    this.#later(0);
  };

  /** -1 when time may jump now, else the real ms to wait before looking again (0: one turn). */
  #waitBeforeJump(): number {
    const state = this.#probe.probe();
    if (state === IDLE) return -1;
    if (state === BUSY) return ++this.#turns < MAX_TURNS ? 0 : -1;
    return state;
  }

  #fail(error: Error): void {
    this.#failure = error;
    if (this.#waiters.size === 0) {
      process.nextTick(rethrow, error);
      return;
    }
    for (const reject of this.#waiters) reject(error);
    this.#waiters.clear();
  }
}
