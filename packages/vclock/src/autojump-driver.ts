import { BUSY, IDLE, IdleProbe } from './idle-probe.js';
import { LoopLimitError } from './loop-limit-error.js';
import type { RealTimers } from './real-timers.js';
import { Relay } from './relay.js';
import { nodeRunNextTicks } from './run-next-ticks.js';
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

/** A burst of timers under way; `live = false` stops it (a {@link Relay} is one too). */
interface Burst {
  live: boolean;
}

/** Immediates waited for before a jump; past that, a loop of immediates is taken as busy work. */
export const MAX_TURNS = 64;
/** Timers fired back to back (see `#burst` and `Relay`) before the event loop is given a turn. */
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
 * which fires a burst of timers back to back, running Node's queues between them the way Node
 * does between two real timers (`runNextTicks`, or a {@link Relay} where that function cannot
 * be had), and gives up with a {@link LoopLimitError}
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
  #relay: Burst | undefined;
  /** Node's `runNextTicks`, taken at install; undefined: bursts go through a {@link Relay}. */
  #drain: (() => void) | undefined;
  #relayed = 0;
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
    this.#drain = nodeRunNextTicks();
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
   * One step of autojump, from a real immediate or timeout (`relay` undefined) or from the
   * relay of the previous step.
   */
  readonly #step = (relay?: Relay): void => {
    this.#handle = undefined;
    this.#relay = undefined;
    const drain = this.#drain;
    if (relay === undefined && drain !== undefined) this.#burst(drain);
    else this.#relayStep(relay);
  };

  /**
   * Fires up to MAX_BURST timers back to back from one real immediate or timeout, and after
   * each one runs Node's `runNextTicks` (`drain`), as Node does between two real timers: every
   * promise job and `nextTick` callback the timer set off has run before the next one fires,
   * however deeply they nest. Then the event loop turns. A callback that stops autojump
   * (`advance()`, an uninstall) ends the burst; an error thrown out of `drain` (an uncaught
   * exception of a `nextTick` callback, or of a timer callback, which `fire` reports through
   * one) ends it too, and the next burst starts after a turn.
   */
  #burst(drain: () => void): void {
    const burst: Burst = { live: true };
    this.#relay = burst;
    try {
      // What an earlier uncaught exception left queued runs before the next timer.
      drain();
      for (let fired = 0; burst.live && fired < MAX_BURST; fired++) {
        const next = this.#due();
        if (next === undefined) return;
        this.#table.fire(next);
        drain();
      }
    } finally {
      if (this.#relay === burst) {
        this.#relay = undefined;
        // The burst is full, or an error goes up: go on after a turn of the event loop.
        if (this.#handle === undefined) this.wake();
      }
    }
  }

  /**
   * The same through a {@link Relay}: a step fires one timer, and the relay calls the next
   * step once the microtask and nextTick queues ran two levels deep; up to MAX_BURST timers
   * fire back to back that way, then the event loop turns.
   */
  #relayStep(relay: Relay | undefined): void {
    const next = this.#due();
    if (next === undefined) return;
    const current = relay ?? new Relay(this.#step);
    this.#relay = current;
    this.#table.fire(next);
    if (this.#relay !== current) return; // stopped by the callback
    if (++this.#relayed < MAX_BURST) {
      current.start();
      return;
    }
    this.#relayed = 0;
    this.#relay = undefined;
    current.live = false;
    this.#later(0);
  }

  /**
   * The timer to fire now, counted against the loop limit; undefined when there is none:
   * nothing to jump to, the process is not idle yet (a real immediate or timeout will look
   * again), autojump is paused or stopped, or it just failed.
   */
  #due(): TimerEntry | undefined {
    if (!this.#attached || this.#stepping > 0 || this.#failure !== undefined) return undefined;
    const table = this.#table;
    if (table.targets === 0) {
      this.#fired = 0;
      return undefined;
    }
    const next = table.peek()!;
    if (next.at > table.now) {
      const wait = this.#waitBeforeJump();
      if (wait >= 0) {
        if (wait > 0) this.#turns = 0;
        this.#later(wait);
        return undefined;
      }
    }
    this.#turns = 0;
    if (movesTime(next, table.now)) this.#fired = 0;
    if (++this.#fired > this.#loopLimit) {
      this.#fail(new LoopLimitError(this.#loopLimit, table.now));
      return undefined;
    }
    return next;
  }

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
