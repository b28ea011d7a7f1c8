// The deadlines of the running cancel scopes on the real clock, behind one timer. The package's
// index does not re-export this module: it is no part of the public API.
//
// A scope per request with a deadline would otherwise cost one `setTimeout` and one
// `clearTimeout` each (a timer object, a closure, two timer-list updates), although nearly every
// such deadline is removed long before it is due. Here a deadline is an entry of a min-heap
// (core's `TimerHeap`, which vclock's timers use too: removing an entry only marks it, and it is
// dropped when it reaches the top or when dead entries outnumber the live ones), and one timer
// waits for the earliest:
//
// - Adding a deadline later than the armed one changes no timer; an earlier one re-arms it.
// - Removing a deadline changes no timer either: the timer may fire before the new earliest
//   deadline, finds nothing due and waits again. When no deadline is left, the timer is unref'd
//   at once, so it keeps nothing alive: the process stays alive exactly while a deadline is
//   pending, as with one timer per scope. It is cleared once a whole turn of the event loop
//   has passed without any deadline (an unref'd immediate looks at each turn's end); a deadline
//   that comes before refs it again. So scopes that start and exit one after the other (a
//   request handler whose body answers at once, turn after turn) share one timer, and none is
//   left behind once they are done.
// - The timer is the platform's own `setTimeout`, taken at load, and time is the platform's own
//   `performance.now()`, also taken at load: a deadline queued here keeps running on real time
//   when fake timers are installed later (as a real timer set before them would). While the
//   globals are not those (fake timers, a virtual clock), `available()` says no and the scope
//   sets a timer of its own on the current clock, as before.

import { type HeapEntry, TimerHeap } from '@aiotools/core/internal';

/**
 * A deadline in the queue: the node of a running cancel scope. `at` is the absolute time, on
 * `performance.now()`'s scale, when it passes; `seq` orders equal deadlines first in, first
 * out; `index` is ≥ 0 while queued (see `TimerHeap`).
 */
export interface DeadlineEntry extends HeapEntry {
  /** Called once the deadline has passed; the entry is no longer queued then. */
  expire(): void;
}

const MAX_TIMEOUT = 2_147_483_647;

const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;
const nativeSetImmediate = globalThis.setImmediate;
const nativePerformance = globalThis.performance;
const nativeNow = nativePerformance.now;

function realNow(): number {
  return nativeNow.call(nativePerformance);
}

const heap = new TimerHeap<DeadlineEntry>();
let timer: ReturnType<typeof setTimeout> | undefined;
// The time the armed timer waits for; `Infinity` while none is armed.
let armedFor = Number.POSITIVE_INFINITY;
let referenced = false;
let firing = false;
let sequence = 0;
let sweepQueued = false;
// A deadline was added since the last sweep.
let used = false;

function queueSweep(): void {
  sweepQueued = true;
  nativeSetImmediate(sweep).unref();
}

/** Clears the unref'd timer once a whole turn of the event loop has added no deadline. */
function sweep(): void {
  sweepQueued = false;
  // A deadline is pending again (the next emptying queues a sweep), or the timer has fired.
  if (timer === undefined || referenced) return;
  if (used) {
    used = false;
    queueSweep();
    return;
  }
  nativeClearTimeout(timer);
  timer = undefined;
  armedFor = Number.POSITIVE_INFINITY;
}

function release(): void {
  timer!.unref();
  referenced = false;
  if (!sweepQueued) queueSweep();
}

function arm(due: number): void {
  if (timer !== undefined) nativeClearTimeout(timer);
  const now = realNow();
  const delay = due - now;
  if (delay > MAX_TIMEOUT) {
    armedFor = now + MAX_TIMEOUT;
    timer = nativeSetTimeout(onTimer, MAX_TIMEOUT);
  } else {
    armedFor = due;
    timer = nativeSetTimeout(onTimer, delay);
  }
  referenced = true;
}

function onTimer(): void {
  const target = armedFor;
  timer = undefined;
  armedFor = Number.POSITIVE_INFINITY;
  referenced = false;
  if (heap.size === 0) return;
  // Node's timers have a resolution of 1 ms and start from the loop's time, which lags behind
  // `performance.now()`: a timer of its own would have fired for a deadline within that
  // millisecond too. The deadline the timer was armed for is due however early it fired.
  const limit = Math.max(target, realNow() + 1);
  firing = true;
  try {
    for (let entry = heap.peek(); entry !== undefined && entry.at <= limit; entry = heap.peek()) {
      heap.pop();
      entry.expire();
    }
  } finally {
    firing = false;
    const next = heap.peek();
    if (next !== undefined) arm(next.at);
  }
}

/**
 * The queue of the deadlines on the real clock: `add` when a scope with a deadline starts (or
 * its deadline moves), `remove` when it exits, is cancelled or its deadline moves.
 */
export const realDeadlines = {
  /** Whether the globals are the platform's own timers and `performance.now()`. */
  available(): boolean {
    return (
      globalThis.setTimeout === nativeSetTimeout &&
      globalThis.performance === nativePerformance &&
      nativePerformance.now === nativeNow
    );
  },

  /** Queues `entry` for `due` (in the future); the entry must not be queued already. */
  add(entry: DeadlineEntry, due: number): void {
    entry.at = due;
    entry.seq = ++sequence;
    used = true;
    heap.push(entry);
    if (firing) return;
    if (timer === undefined || due < armedFor) arm(due);
    else if (!referenced) {
      timer.ref();
      referenced = true;
    }
  },

  /** Takes `entry` out of the queue; nothing happens when it is not queued. */
  remove(entry: DeadlineEntry): void {
    if (entry.index < 0) return;
    heap.remove(entry);
    if (heap.size === 0 && referenced && !firing) release();
  },
};
