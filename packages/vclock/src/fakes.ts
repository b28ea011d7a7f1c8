import { AsyncResource } from 'node:async_hooks';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';
import { AbortError } from './abort-error.js';
import { invalidArgType, outOfRange } from './node-errors.js';
import type { TimerTable } from './timer-table.js';

const load = createRequire(import.meta.url);
const TIMEOUT_MAX = 2 ** 31 - 1;

type Callback = (...args: unknown[]) => void;
interface TimerOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

/** Node's rule: non-integer delays are truncated; < 1, NaN or > 2^31-1 become 1. */
function coerceDelay(after: unknown): number {
  const ms = Math.trunc(Number(after));
  return ms >= 1 && ms <= TIMEOUT_MAX ? ms : 1;
}

/** Whether Node would have rounded `after` up from below 1 ms: a zero-delay timer. */
function isZero(after: unknown): boolean {
  return !(Math.trunc(Number(after)) >= 1);
}

function checkOptions(options: unknown): TimerOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null)
    throw invalidArgType('options', 'of type object', options);
  const { signal, ref } = options as TimerOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidArgType('options.signal', 'an instance of AbortSignal', signal);
  }
  if (ref !== undefined && typeof ref !== 'boolean')
    throw invalidArgType('options.ref', 'of type boolean', ref);
  return options as TimerOptions;
}

/** `process.hrtime` and `process.hrtime.bigint` reading `table.now` (ms) as nanoseconds. */
function makeHrtime(table: TimerTable): NodeJS.HRTime {
  const bigint = (): bigint => {
    const ms = table.now;
    const whole = Math.floor(ms);
    return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
  };
  const hrtime = (time?: [number, number]): [number, number] => {
    const ns = bigint();
    let seconds = Number(ns / 1_000_000_000n);
    let nanos = Number(ns % 1_000_000_000n);
    if (time !== undefined) {
      if (!Array.isArray(time)) throw invalidArgType('time', 'an instance of Array', time);
      if (time.length !== 2) throw outOfRange('time', '2', time.length);
      seconds -= time[0];
      nanos -= time[1];
      if (nanos < 0) {
        seconds--;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  Object.defineProperty(hrtime, 'name', { value: 'hrtime' });
  hrtime.bigint = bigint;
  return hrtime;
}

function makeDate(RealDate: DateConstructor, dateNow: () => number): DateConstructor {
  const now = () => Math.floor(dateNow());
  const VirtualDate = function VirtualDate(...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  } as unknown as DateConstructor;
  Object.setPrototypeOf(VirtualDate, RealDate); // Date.parse, Date.UTC
  Object.defineProperty(VirtualDate, 'prototype', { value: RealDate.prototype, writable: false });
  Object.defineProperty(VirtualDate, 'length', { value: 7 });
  Object.defineProperty(VirtualDate, 'name', { value: 'Date' });
  Object.defineProperty(VirtualDate, 'now', { value: now, writable: true, configurable: true });
  return VirtualDate;
}

/**
 * Replaces every timer API of the process with one on the virtual time of `table`: the
 * globals, the CommonJS exports of `node:timers` and `node:timers/promises` (synced into their
 * ESM bindings), `scheduler.wait`, `Date` (reading `dateNow()`), `performance.now`,
 * `process.hrtime` (and its `bigint`) and `AbortSignal.timeout`. Returns the function that puts
 * everything back.
 */
export function installFakes(table: TimerTable, dateNow: () => number): () => void {
  const timers = load('node:timers') as Record<string, unknown>;
  const promises = load('node:timers/promises') as Record<string, unknown> & { scheduler?: object };
  const realClear = globalThis.clearTimeout as (handle: unknown) => void;
  const undo: Array<() => void> = [];
  const put = (target: object, key: PropertyKey, value: unknown) => {
    const own = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: own?.enumerable ?? false,
    });
    undo.push(() => {
      if (own !== undefined) Object.defineProperty(target, key, own);
      else delete (target as Record<PropertyKey, unknown>)[key];
    });
  };

  function schedule(
    kind: 'timeout' | 'interval',
    callback: Callback,
    delay: unknown,
    args: unknown[],
  ) {
    if (typeof callback !== 'function')
      throw invalidArgType('callback', 'of type function', callback);
    return table.scheduleTimeout({
      kind,
      callback,
      // Like a real `Timeout`, the timer is an async resource of its own, created here: each
      // firing enters it, so the callback runs in the async context of this call (every
      // AsyncLocalStorage, every ContextVar, the ambient scope of `@aiotools`).
      resource: new AsyncResource('Timeout'),
      args: args.length > 0 ? args : undefined,
      delay: coerceDelay(delay),
      zero: isZero(delay),
    });
  }
  function setTimeout(callback: Callback, delay?: unknown, ...args: unknown[]) {
    return schedule('timeout', callback, delay, args);
  }
  function setInterval(callback: Callback, delay?: unknown, ...args: unknown[]) {
    return schedule('interval', callback, delay, args);
  }
  function clearTimeout(handle: unknown): void {
    if (handle !== undefined && handle !== null && !table.clear(handle)) realClear(handle);
  }
  function clearInterval(handle: unknown): void {
    clearTimeout(handle);
  }

  function promiseSetTimeout<T = void>(
    delay?: number,
    value?: T,
    options?: TimerOptions,
  ): Promise<T> {
    let signal: AbortSignal | undefined;
    let ref: boolean | undefined;
    try {
      ({ signal, ref } = checkOptions(options));
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        table.cancel(timer);
        reject(new AbortError(signal!.reason));
      };
      const timer = table.schedule({
        kind: 'timeout',
        callback: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        delay: coerceDelay(delay),
        ref,
        zero: isZero(delay),
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function* promiseSetInterval<T = void>(
    delay?: number,
    value?: T,
    options?: TimerOptions,
  ): AsyncGenerator<T, void, unknown> {
    const { signal, ref } = checkOptions(options);
    if (signal?.aborted) throw new AbortError(signal.reason);
    let due = 0;
    let aborted = false;
    let wake: (() => void) | undefined;
    const timer = table.schedule({
      kind: 'interval',
      callback: () => {
        due++;
        wake?.();
      },
      delay: coerceDelay(delay),
      ref,
      zero: isZero(delay),
    });
    const onAbort = () => {
      aborted = true;
      table.cancel(timer);
      wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (due === 0 && !aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        if (aborted) throw new AbortError(signal!.reason);
        // Like Node's, ticks missed while the consumer was busy are delivered one by one.
        for (; due > 0 && !aborted; due--) yield value as T;
      }
    } finally {
      table.cancel(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  function wait(delay: number, options?: TimerOptions): Promise<void> {
    return promiseSetTimeout(delay, undefined, options);
  }

  function timeout(delay: number): AbortSignal {
    if (typeof delay !== 'number') throw invalidArgType('delay', 'of type number', delay);
    if (!Number.isInteger(delay) || delay < 0 || delay > 2 ** 32 - 1)
      throw outOfRange('delay', '>= 0 && <= 4294967295', delay);
    const controller = new AbortController();
    const abort = () =>
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      );
    // Unref'd like Node's, but still a target of jumps: while the process is alive for any other
    // reason, the signal aborts on time.
    table.schedule({ kind: 'signal-timeout', callback: abort, delay: coerceDelay(delay) });
    return controller.signal;
  }

  Object.defineProperty(setTimeout, promisify.custom, {
    value: promiseSetTimeout,
    configurable: true,
  });

  for (const target of [globalThis, timers]) {
    put(target, 'setTimeout', setTimeout);
    put(target, 'setInterval', setInterval);
    put(target, 'clearTimeout', clearTimeout);
    put(target, 'clearInterval', clearInterval);
  }
  put(promises, 'setTimeout', promiseSetTimeout);
  put(promises, 'setInterval', promiseSetInterval);
  if (promises.scheduler !== undefined) put(promises.scheduler, 'wait', wait);
  put(globalThis, 'Date', makeDate(globalThis.Date, dateNow));
  put(performance, 'now', function now() {
    return table.now;
  });
  put(process, 'hrtime', makeHrtime(table));
  put(AbortSignal, 'timeout', timeout);
  syncBuiltinESMExports();

  return () => {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
    syncBuiltinESMExports();
  };
}
