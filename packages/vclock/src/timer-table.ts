import { TimerHeap } from '@aiotools/core/internal';
import { TimerEntry, type TimerSpec } from './timer-entry.js';
import { VirtualTimeout } from './virtual-timeout.js';

/** Ids handed out by `Symbol.toPrimitive`, apart from the small ones of Node's own timers. */
let nextId = 2 ** 31;

function rethrow(error: unknown): never {
  throw error;
}

/**
 * The timers of one clock and its virtual time: a heap ordered by deadline (FIFO on ties),
 * the numeric ids asked for through `Symbol.toPrimitive`, and two counts the autojump driver
 * reads — timers that keep the process alive (`refs`) and timers time may jump to (`targets`:
 * those plus `AbortSignal.timeout`'s).
 */
export class TimerTable {
  #now: number;
  readonly #heap = new TimerHeap<TimerEntry>();
  readonly #onTarget: (at: number) => void;
  #seq = 0;
  #refs = 0;
  #targets = 0;
  #ids: Map<number, TimerEntry> | undefined;
  // Bumped at each install and uninstall: a callback that did either must not re-arm its timer.
  #epoch = 0;

  /**
   * @param start - the virtual time at the start
   * @param onTarget - called with the deadline each time a jump target is armed
   */
  constructor(start: number, onTarget: (at: number) => void) {
    this.#now = start;
    this.#onTarget = onTarget;
  }

  /** Virtual milliseconds. */
  get now(): number {
    return this.#now;
  }

  /** Timers waiting. */
  get size(): number {
    return this.#heap.size;
  }

  /** Pending timers that keep the process alive. */
  get refs(): number {
    return this.#refs;
  }

  /** Pending timers that time may jump to. */
  get targets(): number {
    return this.#targets;
  }

  /** The timer due first. */
  peek(): TimerEntry | undefined {
    return this.#heap.peek();
  }

  /** Moves time forward to `time` (never back). */
  moveTo(time: number): void {
    if (time > this.#now) this.#now = time;
  }

  /** Arms a timer that no one outside the package sees (the fakes' own timers). */
  schedule(spec: TimerSpec): TimerEntry {
    const entry = new TimerEntry(this, spec);
    this.#arm(entry);
    return entry;
  }

  /** Arms a timer and returns its `Timeout`-like handle, which is `this` in its callback. */
  scheduleTimeout(spec: TimerSpec): VirtualTimeout {
    const entry = new TimerEntry(this, spec);
    const handle = new VirtualTimeout(entry);
    entry.handle = handle;
    this.#arm(entry);
    return handle;
  }

  /** Clears a virtual timer (handle or numeric id); false when `handle` is not one. */
  clear(handle: unknown): boolean {
    if (handle instanceof VirtualTimeout) {
      handle.close(); // through its own table, which may be an older clock's
      return true;
    }
    const entry =
      typeof handle === 'number' || typeof handle === 'string'
        ? this.#ids?.get(Number(handle))
        : undefined;
    if (entry === undefined) return false;
    this.cancel(entry);
    return true;
  }

  /** Clears `entry`: it leaves the heap, and `refresh()` no longer re-arms it. */
  cancel(entry: TimerEntry): void {
    this.#disarm(entry);
    entry.destroyed = true;
    if (entry.id !== 0) this.#ids?.delete(entry.id);
  }

  /** `ref()`/`unref()`: moves a pending `entry` between the counts. */
  setRef(entry: TimerEntry, ref: boolean): void {
    if (entry.refed === ref) return;
    const pending = entry.index >= 0;
    if (pending) this.#uncount(entry);
    entry.refed = ref;
    if (pending) this.#count(entry);
  }

  /** Restarts `entry`: due `delay` ms from now. */
  rearm(entry: TimerEntry): void {
    this.#disarm(entry);
    this.#arm(entry);
  }

  /** The numeric id of `entry`, given on first use, which `clear()` accepts. */
  idOf(entry: TimerEntry): number {
    if (entry.id === 0) {
      entry.id = nextId++;
      (this.#ids ??= new Map()).set(entry.id, entry);
    }
    return entry.id;
  }

  /**
   * Fires `entry`, the earliest timer: moves time to its deadline, calls it, and re-arms an
   * interval that was neither cleared nor refreshed by its callback.
   */
  fire(entry: TimerEntry): void {
    this.#heap.pop();
    if (entry.refed) this.#refs--;
    if (entry.refed || entry.target) this.#targets--;
    if (entry.at > this.#now) this.#now = entry.at;
    const epoch = this.#epoch;
    try {
      const { resource, args } = entry;
      if (resource !== undefined) {
        if (args === undefined) resource.runInAsyncScope(entry.callback, entry.handle);
        else resource.runInAsyncScope(entry.callback, entry.handle, ...args);
      } else if (args === undefined) entry.callback.call(entry.handle);
      else entry.callback.apply(entry.handle, args as unknown[]);
    } catch (error) {
      // As with a real timer: the error is uncaught, the other timers go on.
      process.nextTick(rethrow, error);
    }
    if (entry.index >= 0 || entry.destroyed || this.#epoch !== epoch) return;
    if (entry.repeat > 0) this.#arm(entry);
    else if (entry.id !== 0) this.#ids?.delete(entry.id);
  }

  /** Drops every pending timer (at uninstall): they are never turned into real ones. */
  dropAll(): void {
    for (const entry of this.#heap.clear()) entry.destroyed = true;
    this.#refs = 0;
    this.#targets = 0;
    this.#ids = undefined;
  }

  /** Marks an install or an uninstall of the clock: a timer firing meanwhile is not re-armed. */
  nextEpoch(): void {
    this.#epoch++;
  }

  #arm(entry: TimerEntry): void {
    entry.at = this.#now + entry.delay;
    entry.seq = this.#seq++;
    this.#insert(entry);
  }

  #insert(entry: TimerEntry): void {
    this.#heap.push(entry);
    this.#count(entry);
  }

  #disarm(entry: TimerEntry): void {
    if (entry.index < 0) return;
    this.#heap.remove(entry);
    this.#uncount(entry);
  }

  /** Adds a pending `entry` to `refs` and `targets`. */
  #count(entry: TimerEntry): void {
    if (entry.refed) this.#refs++;
    if (entry.refed || entry.target) {
      this.#targets++;
      this.#onTarget(entry.at);
    }
  }

  /** Takes a pending `entry` out of `refs` and `targets`. */
  #uncount(entry: TimerEntry): void {
    if (entry.refed) this.#refs--;
    if (entry.refed || entry.target) this.#targets--;
  }
}
