import type { AsyncResource } from 'node:async_hooks';
import type { HeapEntry } from '@aiotools/core/internal';
import type { TimerTable } from './timer-table.js';
import type { VirtualTimeout } from './virtual-timeout.js';

/**
 * What kind of timer an entry is:
 * - `'timeout'` fires once;
 * - `'interval'` fires every `delay` ms until cleared;
 * - `'signal-timeout'` fires once and is unref'd like the timer behind Node's
 *   `AbortSignal.timeout`, yet still a target of jumps: while anything keeps the process alive,
 *   time jumps to it and the signal aborts on time (it keeps nothing alive itself, as in Node).
 */
export type TimerKind = 'timeout' | 'interval' | 'signal-timeout';

/** What the faked functions ask the timer table for. */
export interface TimerSpec {
  readonly kind: TimerKind;
  readonly callback: (...args: unknown[]) => void;
  /** Extra arguments of the callback (`setTimeout(f, ms, ...args)`). */
  readonly args?: readonly unknown[] | undefined;
  /** The async context the callback runs in (that of the faked `setTimeout`/`setInterval` call). */
  readonly resource?: AsyncResource | undefined;
  /** In virtual ms, already coerced the way Node does it. */
  readonly delay: number;
  /** Keeps the process alive (`{ ref: false }` of `timers/promises`). Ignored for `'signal-timeout'`. @default true */
  readonly ref?: boolean | undefined;
  /** Asked for with a delay below 1 ms that Node rounds up to 1 (`setInterval(f, 0)`). @default false */
  readonly zero?: boolean | undefined;
}

/**
 * The bookkeeping of one virtual timer, owned by the {@link TimerTable} that armed it: the
 * heap keys, the ref state and the id. Users only ever see its {@link VirtualTimeout} handle.
 */
export class TimerEntry implements HeapEntry {
  /** The table that owns the entry; a handle always goes through it, even once another clock is installed. */
  readonly table: TimerTable;
  readonly callback: (...args: unknown[]) => void;
  readonly args: readonly unknown[] | undefined;
  /** See {@link TimerSpec.resource}. */
  readonly resource: AsyncResource | undefined;
  /** The delay in ms. */
  readonly delay: number;
  /** The period in ms, 0 for a one-shot timer. */
  readonly repeat: number;
  /** Deadline on the clock's scale. */
  at = 0;
  /** Arrival order, for FIFO ties. */
  seq = 0;
  /** ≥ 0 while pending (in the heap), -1 when not. */
  index = -1;
  /** Keeps the process alive (and makes the clock jump to it). */
  refed: boolean;
  /** A jump target even when unref'd (`AbortSignal.timeout`). */
  readonly target: boolean;
  /** Cleared: `refresh()` no longer re-arms it. */
  destroyed = false;
  /** Numeric id once asked for, 0 before. */
  id = 0;
  /** See {@link TimerSpec.zero}. */
  readonly zero: boolean;
  /** The handle given out for it, which is also `this` in the callback, as with Node's timers. */
  handle: VirtualTimeout | undefined = undefined;

  constructor(table: TimerTable, spec: TimerSpec) {
    const signal = spec.kind === 'signal-timeout';
    this.table = table;
    this.callback = spec.callback;
    this.args = spec.args;
    this.resource = spec.resource;
    this.delay = spec.delay;
    this.repeat = spec.kind === 'interval' ? spec.delay : 0;
    this.refed = !signal && spec.ref !== false;
    this.target = signal;
    this.zero = spec.zero === true;
  }
}
