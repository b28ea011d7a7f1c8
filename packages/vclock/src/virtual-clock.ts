import { type Clock, installClock } from '@aiotools/core';
import {
  validateBoolean,
  validateDuration,
  validateFunction,
  validateOptions,
} from '@aiotools/core/internal';
import { type FakeHost, installFakes } from './fakes.js';
import { BUSY, IDLE, IdleProbe } from './idle-probe.js';
import { LoopLimitError } from './loop-limit-error.js';
import { Relay } from './relay.js';
import { TimerHeap } from './timer-heap.js';
import { type TimerHost, VirtualTimeout } from './virtual-timeout.js';

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
   * fires. @default 100_000
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

interface RealTimers {
  setImmediate: typeof setImmediate;
  clearImmediate: typeof clearImmediate;
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  now: () => number;
}

interface Installation {
  restore(): void;
  core: Disposable;
}

type DriverHandle = ReturnType<typeof setImmediate> | ReturnType<typeof setTimeout>;

/** Immediates waited for before a jump; past that, a loop of immediates is taken as busy work. */
const MAX_TURNS = 64;
/** Timers fired back to back (see `Relay`) before the event loop is given a turn. */
const MAX_BURST = 100;
const SLOT = Symbol.for('@aiotools/vclock.installed');
const slots = globalThis as unknown as Record<symbol, VirtualClock | undefined>;
let nextId = 2 ** 31;

function realTimers(): RealTimers {
  const active = slots[SLOT];
  if (active !== undefined) return active.real;
  return {
    setImmediate: globalThis.setImmediate,
    clearImmediate: globalThis.clearImmediate,
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    now: performance.now.bind(performance),
  };
}

/**
 * Whether firing `timer` moves virtual time: it is due later than `now` and was not asked for
 * with a zero delay (Node runs those 1 ms later; a loop of them is the runaway the loop limit
 * is for).
 */
function movesTime(timer: VirtualTimeout, now: number): boolean {
  return timer.at > now && !timer.zero;
}

function rethrow(error: unknown): never {
  throw error;
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
export class VirtualClock implements Clock, TimerHost, FakeHost, Disposable {
  /** Whether time jumps by itself when the process is idle. */
  readonly autojump: boolean;
  /** See {@link VirtualClockOptions.loopLimit}. */
  readonly loopLimit: number;
  /** @internal the real timers the driver uses */
  real: RealTimers;
  private time: number;
  private readonly start: number;
  private readonly date: number;
  private readonly heap = new TimerHeap<VirtualTimeout>();
  private readonly probe: IdleProbe;
  private seq = 0;
  private refs = 0;
  private targets = 0;
  private ids: Map<number, VirtualTimeout> | undefined;
  private installation: Installation | undefined;
  private driver: DriverHandle | undefined;
  private driverIsImmediate = false;
  private relay: Relay | undefined;
  private burst = 0;
  private stepping = 0;
  private fired = 0;
  private turns = 0;
  private failure: Error | undefined;
  private readonly waiters = new Set<(error: Error) => void>();

  /**
   * @param options - `start` (default 0), `autojump` (default true), `autojumpThreshold`
   * (default 10 ms of real time), `ioHoldLimit` (default 1000 ms of real time), `loopLimit`
   * (default 100 000), `date` (default 2024-01-01T00:00:00.000Z)
   * @throws TypeError/RangeError naming the option for an invalid value
   */
  constructor(options?: VirtualClockOptions) {
    validateOptions(options, 'options');
    const start = options?.start ?? 0;
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw new TypeError(
        `Expected \`options.start\` to be a finite number, got \`${String(start)}\``,
      );
    }
    const autojump = options?.autojump ?? true;
    validateBoolean(autojump, 'options.autojump');
    const threshold = options?.autojumpThreshold ?? 10;
    validateDuration(threshold, 'options.autojumpThreshold');
    const holdLimit = options?.ioHoldLimit ?? 1000;
    validateDuration(holdLimit, 'options.ioHoldLimit');
    const loopLimit = options?.loopLimit ?? 100_000;
    if (typeof loopLimit !== 'number' || !(loopLimit >= 1)) {
      throw new RangeError(
        `Expected \`options.loopLimit\` to be a number ≥ 1, got \`${String(loopLimit)}\``,
      );
    }
    const date = options?.date ?? DEFAULT_DATE;
    const dateValue = date instanceof Date ? date.getTime() : date;
    if (typeof dateValue !== 'number' || !Number.isFinite(dateValue)) {
      throw new TypeError(
        `Expected \`options.date\` to be a finite number or a valid Date, got \`${String(date)}\``,
      );
    }
    this.time = start;
    this.start = start;
    this.date = dateValue;
    this.autojump = autojump;
    this.loopLimit = loopLimit;
    this.real = realTimers();
    this.probe = new IdleProbe(threshold, holdLimit, () => this.real.now());
  }

  /** Virtual milliseconds, starting at `options.start`. */
  now(): number {
    return this.time;
  }

  /** @internal what the faked `Date.now()` returns, before truncation */
  dateNow(): number {
    return this.date + (this.time - this.start);
  }

  /** Number of timers waiting on this clock. */
  get pending(): number {
    return this.heap.size;
  }

  /** Whether this clock is installed. */
  get installed(): boolean {
    return this.installation !== undefined;
  }

  /** Calls `callback` once, `ms` virtual milliseconds from now (core's `Clock`). */
  setTimer(callback: () => void, ms: number): unknown {
    return this.schedule(callback, undefined, Math.max(ms, 0), 0, true, false);
  }

  /** Cancels a timer set by {@link VirtualClock.setTimer}; anything else is ignored. */
  clearTimer(handle: unknown): void {
    this.clear(handle);
  }

  /**
   * Installs the clock: every timer API of the process runs on its virtual time until the
   * returned handle is disposed, which restores every patched binding, drops the pending
   * timers and leaves no real timer behind.
   *
   * @throws Error when this or another `VirtualClock` is already installed (they do not nest)
   */
  patchLoop(): Disposable {
    if (this.installation !== undefined) throw new Error('This VirtualClock is already installed');
    if (slots[SLOT] !== undefined) {
      throw new Error(
        'Another VirtualClock is already installed; dispose it first (virtual clocks do not nest)',
      );
    }
    this.real = realTimers();
    this.probe.start();
    let restore: () => void;
    try {
      restore = installFakes(this);
    } catch (error) {
      this.probe.stop();
      throw error;
    }
    let core: Disposable;
    try {
      core = installClock(this);
    } catch (error) {
      restore();
      this.probe.stop();
      throw error;
    }
    const installation: Installation = { restore, core };
    this.installation = installation;
    Object.defineProperty(slots, SLOT, { value: this, configurable: true, writable: true });
    this.wake();
    return {
      [Symbol.dispose]: () => {
        if (this.installation === installation) this.uninstall();
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
    let onFailure: ((error: Error) => void) | undefined;
    try {
      const failed = new Promise<never>((_, reject) => {
        onFailure = reject;
        this.waiters.add(reject);
      });
      return await Promise.race([fn(), failed]);
    } finally {
      if (onFailure !== undefined) this.waiters.delete(onFailure);
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
    if (this.failure !== undefined) throw this.failure;
    const end = this.time + ms;
    this.pause();
    try {
      await this.drain();
      let fired = 0;
      for (
        let next = this.heap.peek();
        next !== undefined && next.at <= end;
        next = this.heap.peek()
      ) {
        // Bounded by `end`, so only timers at one same instant can loop forever here.
        if (next.at > this.time) fired = 0;
        if (++fired > this.loopLimit) throw new LoopLimitError(this.loopLimit, this.time);
        this.fire(next);
        await this.drain();
      }
      if (end > this.time) this.time = end;
      await this.drain();
    } finally {
      this.resume();
    }
  }

  /**
   * Fires timers, jumping time, until no timer that keeps the process alive is left (those
   * the fired ones add included).
   *
   * @throws LoopLimitError (as a rejection, `kind: 'runAll'`) after `loopLimit` timers in all
   */
  async runAll(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.pause();
    try {
      await this.drain();
      for (let fired = 1; this.targets > 0; fired++) {
        if (fired > this.loopLimit) throw new LoopLimitError(this.loopLimit, this.time, 'runAll');
        this.fire(this.heap.peek()!);
        await this.drain();
      }
    } finally {
      this.resume();
    }
  }

  /** Uninstalls the clock if it is installed (see {@link VirtualClock.patchLoop}). */
  [Symbol.dispose](): void {
    if (this.installation !== undefined) this.uninstall();
  }

  /** @internal */
  schedule(
    callback: (...args: unknown[]) => void,
    args: readonly unknown[] | undefined,
    delay: number,
    repeat: number,
    refed: boolean,
    target: boolean,
  ): VirtualTimeout {
    const timer = new VirtualTimeout(this, callback, args, delay, repeat);
    timer.refed = refed;
    timer.target = target;
    this.arm(timer);
    return timer;
  }

  /** @internal */
  clear(handle: unknown): boolean {
    if (handle instanceof VirtualTimeout) {
      handle.close(); // through its own clock, which may be an older one
      return true;
    }
    const timer =
      typeof handle === 'number' || typeof handle === 'string'
        ? this.ids?.get(Number(handle))
        : undefined;
    if (timer === undefined) return false;
    this.cancel(timer);
    return true;
  }

  /** @internal */
  cancel(timer: VirtualTimeout): void {
    this.disarm(timer);
    timer.destroyed = true;
    if (timer.id !== 0) this.ids?.delete(timer.id);
  }

  /** @internal */
  setRef(timer: VirtualTimeout, ref: boolean): void {
    if (timer.refed === ref) return;
    const pending = timer.index >= 0;
    if (pending) this.disarm(timer);
    timer.refed = ref;
    if (pending) this.insert(timer);
  }

  /** @internal */
  rearm(timer: VirtualTimeout): void {
    this.disarm(timer);
    this.arm(timer);
  }

  /** @internal */
  idOf(timer: VirtualTimeout): number {
    if (timer.id === 0) {
      timer.id = nextId++;
      (this.ids ??= new Map()).set(timer.id, timer);
    }
    return timer.id;
  }

  private arm(timer: VirtualTimeout): void {
    timer.at = this.time + timer.delay;
    timer.seq = this.seq++;
    this.insert(timer);
  }

  private insert(timer: VirtualTimeout): void {
    this.heap.push(timer);
    if (timer.refed) this.refs++;
    if (timer.refed || timer.target) {
      this.targets++;
      this.wake();
      if (timer.at <= this.time && this.driver !== undefined && !this.driverIsImmediate)
        this.restartDriver();
    }
  }

  private disarm(timer: VirtualTimeout): void {
    if (timer.index < 0) return;
    this.heap.remove(timer);
    if (timer.refed) this.refs--;
    if (timer.refed || timer.target) this.targets--;
  }

  /** Fires the earliest timer. */
  private fire(timer: VirtualTimeout): void {
    this.heap.pop();
    if (timer.refed) this.refs--;
    if (timer.refed || timer.target) this.targets--;
    if (timer.at > this.time) this.time = timer.at;
    const installation = this.installation;
    try {
      if (timer.args === undefined) timer.callback.call(timer);
      else timer.callback.apply(timer, timer.args as unknown[]);
    } catch (error) {
      // As with a real timer: the error is uncaught, the other timers go on.
      process.nextTick(rethrow, error);
    }
    if (timer.index >= 0 || timer.destroyed || this.installation !== installation) return;
    if (timer.repeat > 0) this.arm(timer);
    else if (timer.id !== 0) this.ids?.delete(timer.id);
  }

  /** Schedules the driver if time has somewhere to jump. */
  private wake(): void {
    if (this.driver !== undefined || this.relay !== undefined) {
      if (this.refs > 0) this.driver?.ref();
      return;
    }
    if (!this.autojump || this.installation === undefined || this.stepping > 0) return;
    if (this.failure !== undefined || this.targets === 0) return;
    this.later(0);
  }

  private later(ms: number): void {
    const real = this.real;
    this.driverIsImmediate = ms === 0;
    this.driver = ms === 0 ? real.setImmediate(this.step) : real.setTimeout(this.step, ms);
    if (this.refs === 0) this.driver.unref();
  }

  private stopDriver(): void {
    if (this.relay !== undefined) {
      this.relay.live = false;
      this.relay = undefined;
    }
    const driver = this.driver;
    if (driver === undefined) return;
    this.driver = undefined;
    if (this.driverIsImmediate) this.real.clearImmediate(driver as ReturnType<typeof setImmediate>);
    else this.real.clearTimeout(driver as ReturnType<typeof setTimeout>);
  }

  private restartDriver(): void {
    this.stopDriver();
    this.wake();
  }

  /**
   * One step of autojump: fire the next timer, jumping only when the process is idle. Runs
   * from a real immediate or timeout (`relay` undefined), or from the relay of the previous
   * step: up to MAX_BURST timers fire back to back that way, then the event loop turns.
   */
  private readonly step = (relay?: Relay): void => {
    this.driver = undefined;
    this.relay = undefined;
    if (this.installation === undefined || this.stepping > 0 || this.failure !== undefined) return;
    if (this.targets === 0) {
      this.fired = 0;
      return;
    }
    const next = this.heap.peek()!;
    if (next.at > this.time) {
      const wait = this.waitBeforeJump();
      if (wait >= 0) {
        if (wait > 0) this.turns = 0;
        this.later(wait);
        return;
      }
    }
    this.turns = 0;
    if (movesTime(next, this.time)) this.fired = 0;
    if (++this.fired > this.loopLimit) {
      this.fail(new LoopLimitError(this.loopLimit, this.time));
      return;
    }
    const current = relay ?? new Relay(this.step);
    this.relay = current;
    this.fire(next);
    if (this.relay !== current) return; // stopped by the callback
    if (++this.burst < MAX_BURST) {
      current.start();
      return;
    }
    this.burst = 0;
    this.relay = undefined;
    current.live = false;
    this.later(0);
  };

  /** -1 when time may jump now, else the real ms to wait before looking again (0: one turn). */
  private waitBeforeJump(): number {
    const state = this.probe.probe();
    if (state === IDLE) return -1;
    if (state === BUSY) return ++this.turns < MAX_TURNS ? 0 : -1;
    return state;
  }

  private fail(error: Error): void {
    this.failure = error;
    if (this.waiters.size === 0) {
      process.nextTick(rethrow, error);
      return;
    }
    for (const reject of this.waiters) reject(error);
    this.waiters.clear();
  }

  private pause(): void {
    this.stepping++;
    this.stopDriver();
  }

  private resume(): void {
    this.stepping--;
    this.fired = 0;
    this.wake();
  }

  /** Lets microtasks and queued immediates run (a bounded number of event-loop turns). */
  private async drain(): Promise<void> {
    for (let i = 0; i < MAX_TURNS; i++) {
      await new Promise<void>((resolve) => this.real.setImmediate(resolve));
      if (!process.getActiveResourcesInfo().includes('Immediate')) return;
    }
  }

  private uninstall(): void {
    const installation = this.installation!;
    this.installation = undefined;
    this.stopDriver();
    for (const timer of this.heap.clear()) timer.destroyed = true;
    this.refs = 0;
    this.targets = 0;
    this.ids = undefined;
    this.fired = 0;
    this.turns = 0;
    this.failure = undefined;
    this.probe.stop();
    try {
      installation.restore();
    } finally {
      installation.core[Symbol.dispose]();
      if (slots[SLOT] === this) delete slots[SLOT];
    }
  }
}
