import { type Clock, installClock } from '@aiotools/core';
import {
  invalidRange,
  invalidType,
  validateBoolean,
  validateDuration,
  validateFunction,
  validateInteger,
  validateOptions,
} from '@aiotools/core/internal';
import { AutojumpDriver, type AutojumpSettings, MAX_TURNS } from './autojump-driver.js';
import { installFakes } from './fakes.js';
import { LoopLimitError } from './loop-limit-error.js';
import { type RealTimers, realTimers } from './real-timers.js';
import { TimerTable } from './timer-table.js';

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The value of `now()` (and `performance.now()`) at the start. @default 0 */
  readonly start?: number;
  /**
   * Jump to the next deadline whenever the process is idle. Turn it off to move time only
   * with `advance()`/`runAll()`. @default true
   */
  readonly autojump?: boolean;
  /**
   * Real milliseconds without any byte moving on an open connection to another process that
   * is not known to wait for an answer (an idle keep-alive connection, a connection accepted
   * from another process) before time may jump. Connections whose both ends are in this
   * process never need it. @default 10
   */
  readonly autojumpThreshold?: number;
  /**
   * Real milliseconds that real I/O in flight (fs, DNS, connects, writes, a `fetch()` or
   * `node:http` request to another process, thread-pool jobs, worker threads) may hold the
   * jump without anything moving. Past that, time moves on, so a test against a dead server
   * still ends. @default 1000
   */
  readonly ioHoldLimit?: number;
  /**
   * How many timers may fire without virtual time moving (at one same instant, or through
   * zero-delay timers, which Node runs 1 ms later) before autojump gives up with a
   * {@link LoopLimitError}. Timers that move time (a heartbeat during a long sleep) never
   * count. `advance()` counts timers at one same instant; `runAll()` counts every timer it
   * fires. An integer ≥ 1, or `Infinity` for no limit. @default 100_000
   */
  readonly loopLimit?: number;
  /**
   * What `Date.now()` returns at the start. Pass `Date.now()` for the real wall time.
   * @default 1704067200000 (2024-01-01T00:00:00.000Z), the same on every run
   */
  readonly date?: number | Date;
}

/** The default `date`: a fixed instant, so that two runs give the same `Date.now()`. */
const DEFAULT_DATE = Date.UTC(2024, 0, 1);

/** The validated options. */
interface Settings extends AutojumpSettings {
  readonly start: number;
  readonly date: number;
}

/**
 * One installation of a clock. It is also what the global slot holds meanwhile: every
 * installed copy of the package looks there, to refuse a second clock and to find the real
 * timers (`real`) while the globals are faked. (Earlier versions put the clock itself there,
 * with a `real` property of the same shape.)
 */
interface Installation {
  readonly real: RealTimers;
  readonly restore: () => void;
  readonly core: Disposable;
}

const SLOT = Symbol.for('@aiotools/vclock.installed');
const slots = globalThis as unknown as Record<symbol, { readonly real: RealTimers } | undefined>;

/** The real timers, also while a clock (of any copy of the package) fakes the globals. */
function currentRealTimers(): RealTimers {
  const active = slots[SLOT];
  return active !== undefined ? active.real : realTimers();
}

function readOptions(options: VirtualClockOptions | undefined): Settings {
  validateOptions(options, 'options');
  const start = options?.start ?? 0;
  if (typeof start !== 'number') throw invalidType('options.start', 'a finite number', start);
  if (!Number.isFinite(start)) throw invalidRange('options.start', 'a finite number', start);
  const autojump = options?.autojump ?? true;
  validateBoolean(autojump, 'options.autojump');
  const threshold = options?.autojumpThreshold ?? 10;
  validateDuration(threshold, 'options.autojumpThreshold');
  const holdLimit = options?.ioHoldLimit ?? 1000;
  validateDuration(holdLimit, 'options.ioHoldLimit');
  const loopLimit = options?.loopLimit ?? 100_000;
  validateInteger(loopLimit, 'options.loopLimit', { min: 1, infinity: true });
  const date = options?.date ?? DEFAULT_DATE;
  const dateValue = date instanceof Date ? date.getTime() : date;
  const expected = 'a finite number or a valid Date';
  if (typeof dateValue !== 'number') throw invalidType('options.date', expected, date);
  if (!Number.isFinite(dateValue)) throw invalidRange('options.date', expected, date);
  return { start, autojump, threshold, holdLimit, loopLimit, date: dateValue };
}

/** Lets microtasks and queued immediates run (a bounded number of event-loop turns). */
async function drain(real: RealTimers): Promise<void> {
  for (let i = 0; i < MAX_TURNS; i++) {
    await new Promise<void>((resolve) => real.setImmediate(resolve));
    if (!process.getActiveResourcesInfo().includes('Immediate')) return;
  }
}

/**
 * Virtual time for tests: sleeps of an hour finish at once and deterministically, a mock
 * server in the test process answers after its virtual latency, yet a real request to another
 * process is never overtaken by a virtual timeout.
 *
 * While installed (`patchLoop()` or `run()`), every timer API of the process runs on virtual
 * time: the `@aiotools` clock, global `setTimeout`/`setInterval`/`clear*`, `Date`,
 * `performance.now`, `process.hrtime` (and `.bigint()`), `node:timers` and
 * `node:timers/promises` in every import style (ESM named imports too), `scheduler.wait` and
 * `AbortSignal.timeout`. `process.nextTick`, `queueMicrotask`, promises and `setImmediate`
 * stay real.
 *
 * With `autojump` (the default) time jumps to the next deadline only when the process is
 * idle: no immediate queued, no byte on its way between two sockets of this process (a
 * connection whose both ends are here never holds the jump otherwise), and no real I/O with
 * the outside in flight — fs, DNS, connects, writes, a `fetch()` or `node:http` request to
 * another process until its response ended, crypto and zlib jobs, worker threads. Such I/O
 * holds the jump until it is done or nothing moved for `ioHoldLimit` ms of real time; idle
 * sockets to other processes must have been quiet for `autojumpThreshold` ms.
 * Timers fire in deadline order, FIFO on ties, with microtasks and immediates run between
 * them, so two runs give the same timestamps and the same order; `Date` starts at a fixed
 * instant (2024-01-01T00:00:00.000Z) unless `date` is given.
 *
 * Unref'd timers fire when time passes them but never make it jump by themselves (like in
 * Node, where they never keep the process alive); `AbortSignal.timeout` is the exception.
 * Timers still pending when the clock is uninstalled are dropped, never turned into real
 * ones.
 *
 * @example
 * ```ts
 * import { VirtualClock } from '@aiotools/vclock';
 * import { setTimeout as sleep } from 'node:timers/promises';
 *
 * const clock = new VirtualClock({ start: 0 });
 * await clock.run(async () => {
 *   await sleep(3_600_000); // at once
 *   console.log(clock.now()); // 3600000
 * });
 * ```
 */
export class VirtualClock implements Clock, Disposable {
  /** Whether time jumps by itself when the process is idle (`options.autojump`). */
  readonly autojump: boolean;
  /** See {@link VirtualClockOptions.loopLimit}. */
  readonly loopLimit: number;
  readonly #start: number;
  readonly #date: number;
  readonly #table: TimerTable;
  readonly #driver: AutojumpDriver;
  #installation: Installation | undefined;

  /**
   * @param options - `start` (default 0), `autojump` (default true), `autojumpThreshold`
   * (default 10 ms of real time), `ioHoldLimit` (default 1000 ms of real time), `loopLimit`
   * (default 100 000), `date` (default 2024-01-01T00:00:00.000Z)
   * @throws TypeError/RangeError naming the option for an invalid value
   */
  constructor(options?: VirtualClockOptions) {
    const settings = readOptions(options);
    this.autojump = settings.autojump;
    this.loopLimit = settings.loopLimit;
    this.#start = settings.start;
    this.#date = settings.date;
    // The table tells the driver about each timer time may jump to; the driver reads the table.
    const table = new TimerTable(settings.start, (at) => driver.targetAdded(at));
    const driver = new AutojumpDriver(table, settings, currentRealTimers());
    this.#table = table;
    this.#driver = driver;
  }

  /** Virtual milliseconds, starting at `options.start`. */
  now(): number {
    return this.#table.now;
  }

  /** Number of timers waiting on this clock. */
  get pending(): number {
    return this.#table.size;
  }

  /** Whether this clock is installed. */
  get installed(): boolean {
    return this.#installation !== undefined;
  }

  /** Calls `callback` once, `ms` virtual milliseconds from now (core's `Clock`). */
  setTimer(callback: () => void, ms: number): unknown {
    return this.#table.scheduleTimeout({ kind: 'timeout', callback, delay: Math.max(ms, 0) });
  }

  /** Cancels a timer set by {@link VirtualClock.setTimer}; anything else is ignored. */
  clearTimer(handle: unknown): void {
    this.#table.clear(handle);
  }

  /**
   * Installs the clock: every timer API of the process runs on its virtual time until the
   * returned handle is disposed, which restores every patched binding, drops the pending
   * timers and leaves no real timer behind.
   *
   * @throws Error when this or another `VirtualClock` is already installed (they do not nest)
   */
  patchLoop(): Disposable {
    if (this.#installation !== undefined) throw new Error('This VirtualClock is already installed');
    if (slots[SLOT] !== undefined) {
      throw new Error(
        'Another VirtualClock is already installed; dispose it first (virtual clocks do not nest)',
      );
    }
    const real = realTimers();
    const driver = this.#driver;
    driver.attach(real);
    let restore: () => void;
    try {
      restore = installFakes(this.#table, () => this.#date + (this.#table.now - this.#start));
    } catch (error) {
      driver.detach();
      throw error;
    }
    let core: Disposable;
    try {
      core = installClock(this);
    } catch (error) {
      restore();
      driver.detach();
      throw error;
    }
    const installation: Installation = { real, restore, core };
    this.#installation = installation;
    this.#table.nextEpoch();
    Object.defineProperty(slots, SLOT, { value: installation, configurable: true, writable: true });
    driver.engage();
    return {
      [Symbol.dispose]: () => {
        if (this.#installation === installation) this.#uninstall();
      },
    };
  }

  /**
   * Installs the clock, runs `fn`, and uninstalls the clock when `fn` settles. Rejects with
   * a {@link LoopLimitError} at once when a runaway loop is detected meanwhile.
   *
   * @throws Error (as a rejection) when a clock is already installed
   */
  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    validateFunction(fn, 'fn');
    const installed = this.patchLoop();
    const driver = this.#driver;
    let onFailure: ((error: Error) => void) | undefined;
    try {
      const failed = new Promise<never>((_, reject) => {
        onFailure = reject;
        driver.watch(reject);
      });
      return await Promise.race([fn(), failed]);
    } finally {
      if (onFailure !== undefined) driver.unwatch(onFailure);
      installed[Symbol.dispose]();
    }
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in order, and lets
   * microtasks and immediates run after each one. Works with and without `autojump`.
   *
   * @throws RangeError (as a rejection) for an invalid `ms`; LoopLimitError when `loopLimit`
   * timers fire at one same instant
   */
  async advance(ms: number): Promise<void> {
    validateDuration(ms, 'ms');
    const table = this.#table;
    const driver = this.#driver;
    if (driver.failure !== undefined) throw driver.failure;
    const end = table.now + ms;
    driver.pause();
    try {
      await drain(driver.real);
      let fired = 0;
      for (let next = table.peek(); next !== undefined && next.at <= end; next = table.peek()) {
        // Bounded by `end`, so only timers at one same instant can loop forever here.
        if (next.at > table.now) fired = 0;
        if (++fired > this.loopLimit) throw new LoopLimitError(this.loopLimit, table.now);
        table.fire(next);
        await drain(driver.real);
      }
      table.moveTo(end);
      await drain(driver.real);
    } finally {
      driver.resume();
    }
  }

  /**
   * Fires timers, jumping time, until no timer that keeps the process alive is left (those
   * the fired ones add included).
   *
   * @throws LoopLimitError (as a rejection, `kind: 'runAll'`) after `loopLimit` timers in all
   */
  async runAll(): Promise<void> {
    const table = this.#table;
    const driver = this.#driver;
    if (driver.failure !== undefined) throw driver.failure;
    driver.pause();
    try {
      await drain(driver.real);
      for (let fired = 1; table.targets > 0; fired++) {
        if (fired > this.loopLimit) throw new LoopLimitError(this.loopLimit, table.now, 'runAll');
        table.fire(table.peek()!);
        await drain(driver.real);
      }
    } finally {
      driver.resume();
    }
  }

  /** Uninstalls the clock if it is installed (see {@link VirtualClock.patchLoop}). */
  [Symbol.dispose](): void {
    if (this.#installation !== undefined) this.#uninstall();
  }

  #uninstall(): void {
    const installation = this.#installation!;
    this.#installation = undefined;
    this.#table.nextEpoch();
    this.#driver.detach();
    this.#table.dropAll();
    try {
      installation.restore();
    } finally {
      installation.core[Symbol.dispose]();
      if (slots[SLOT] === installation) delete slots[SLOT];
    }
  }
}
