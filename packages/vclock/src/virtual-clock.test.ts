import { AsyncLocalStorage } from 'node:async_hooks';
import { lookup } from 'node:dns/promises';
import { EventEmitter, once } from 'node:events';
import { readFile } from 'node:fs';
import { readFile as readFileAsync } from 'node:fs/promises';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import * as timersNs from 'node:timers';
import * as promisesNs from 'node:timers/promises';
import {
  setInterval as namedInterval,
  setTimeout as namedSleep,
  scheduler,
} from 'node:timers/promises';
import { promisify } from 'node:util';
import { currentClock, realClock, sleep } from '@aiotools/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startChildServer } from '../test/child-server.js';
import { installVirtualClock } from './install-virtual-clock.js';
import { LoopLimitError } from './loop-limit-error.js';
import { VirtualClock } from './virtual-clock.js';

const require = createRequire(import.meta.url);
const timersCjs = require('node:timers') as typeof import('node:timers');
const promisesCjs = require('node:timers/promises') as typeof import('node:timers/promises');

// Captured before any clock is installed: the real thing, to compare and to make real delays.
const real = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  queueMicrotask: globalThis.queueMicrotask,
  nextTick: process.nextTick,
  Date: globalThis.Date,
  performanceNow: performance.now,
  abortTimeout: AbortSignal.timeout,
  namedSleep,
  namedInterval,
  wait: scheduler.wait,
  promisesSetTimeout: promisesCjs.setTimeout,
};
void AbortSignal.timeout; // AbortSignal is touched before any install

function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => real.setTimeout(resolve, ms));
}

let current: VirtualClock | undefined;
afterEach(() => {
  current?.[Symbol.dispose]();
  current = undefined;
});

function install(options?: ConstructorParameters<typeof VirtualClock>[0]): VirtualClock {
  current = installVirtualClock(options);
  return current;
}

describe('VirtualClock', () => {
  it('finishes an hour-long sleep at once and advances every clock by exactly that much', async () => {
    const clock = install({ start: 0, date: 1_000 });
    const startedAt = real.performanceNow.call(performance);
    const before = { date: Date.now(), perf: performance.now(), clock: clock.now() };
    await new Promise((resolve) => setTimeout(resolve, 3_600_000));
    expect(Date.now() - before.date).toBe(3_600_000);
    expect(performance.now() - before.perf).toBe(3_600_000);
    expect(clock.now() - before.clock).toBe(3_600_000);
    expect(currentClock()).toBe(clock);
    expect(real.performanceNow.call(performance) - startedAt).toBeLessThan(2_000);
  });

  it('fakes node:timers/promises in every import style, named imports taken before install included', async () => {
    const clock = install();
    await namedSleep(1000);
    expect(clock.now()).toBe(1000);
    await promisesNs.setTimeout(1000);
    await promisesCjs.setTimeout(1000);
    await timersCjs.promises.setTimeout(1000);
    const esmDefault = (
      (await import('node:timers/promises')) as unknown as { default: typeof promisesCjs }
    ).default;
    expect(await esmDefault.setTimeout(1000, 'value')).toBe('value');
    await scheduler.wait(1000);
    await promisify(setTimeout)(1000);
    expect(clock.now()).toBe(7000);
  });

  it('fakes node:timers callbacks through require and the ESM namespace', async () => {
    const clock = install();
    await new Promise((resolve) => timersCjs.setTimeout(resolve, 500));
    await new Promise((resolve) => timersNs.setTimeout(resolve, 500));
    expect(clock.now()).toBe(1000);
    expect(timersNs.setTimeout).toBe(globalThis.setTimeout);
  });

  it('gives timers/promises setInterval a real async iterator with next() and return()', async () => {
    const clock = install();
    const ticks = namedInterval(100, 'tick');
    expect(typeof ticks.next).toBe('function');
    const first = await ticks.next();
    expect(first).toEqual({ value: 'tick', done: false });
    expect(clock.now()).toBe(100);
    await ticks.next();
    expect(clock.now()).toBe(200);
    expect(await ticks.return!(undefined)).toEqual({ value: undefined, done: true });
    expect(clock.pending).toBe(0);
    const seen: number[] = [];
    for await (const _ of promisesNs.setInterval(250)) {
      seen.push(clock.now());
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([450, 700, 950]);
    expect(clock.pending).toBe(0);
  });

  it("rejects faked timers/promises on an aborted signal with Node's AbortError", async () => {
    install();
    const controller = new AbortController();
    const reason = new Error('stop');
    const waiting = namedSleep(1000, undefined, { signal: controller.signal });
    const iterator = promisesNs.setInterval(1000, undefined, { signal: controller.signal });
    const next = iterator.next();
    const waited = scheduler.wait(1000, { signal: controller.signal });
    controller.abort(reason);
    for (const promise of [waiting, next, waited]) {
      await expect(promise).rejects.toMatchObject({
        name: 'AbortError',
        code: 'ABORT_ERR',
        cause: reason,
      });
    }
    await expect(namedSleep(1, undefined, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORT_ERR',
      cause: reason,
    });
    await expect(namedSleep(1, undefined, { signal: 'nope' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
  });

  it('fires AbortSignal.timeout at its virtual deadline although AbortSignal was touched before install', async () => {
    const clock = install();
    const signal = AbortSignal.timeout(1000);
    await once(signal, 'abort');
    expect(clock.now()).toBe(1000);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('fires timers in deadline order, FIFO on ties, and chained sleeps see 10 then 20', async () => {
    const clock = install();
    const order: string[] = [];
    setTimeout(() => order.push('b30'), 30);
    setTimeout(() => order.push('a10'), 10);
    setTimeout(() => order.push('c10'), 10);
    clock.setTimer(() => order.push('d10'), 10);
    const seen: number[] = [];
    await sleep(10);
    seen.push(clock.now());
    await sleep(10);
    seen.push(clock.now());
    await sleep(10);
    expect(seen).toEqual([10, 20]);
    expect(order).toEqual(['a10', 'c10', 'd10', 'b30']);
  });

  it('lets a real loopback request of 30 ms to another process beat a 5 s virtual timeout, with a 1 s interval barely moving', async () => {
    const server = await startChildServer(30);
    const { port } = server;
    try {
      const clock = install();
      let ticks = 0;
      const interval = setInterval(() => ticks++, 1000);
      let guard: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<string>((resolve) => {
        guard = setTimeout(() => resolve('timeout'), 5000);
      });
      const response = new Promise<string>((resolve, reject) => {
        get(`http://127.0.0.1:${port}/`, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
      const winner = await Promise.race([response, timedOut]);
      clearTimeout(guard);
      clearInterval(interval);
      expect(winner).toBe('pong');
      expect(ticks).toBeLessThanOrEqual(5);
      expect(clock.now()).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it('does not jump while fs and DNS requests are in flight', async () => {
    install();
    const file = new URL(import.meta.url);
    const viaCallback = new Promise<string>((resolve, reject) =>
      readFile(file, (error) => (error ? reject(error) : resolve('file'))),
    );
    expect(await Promise.race([viaCallback, sleep(1).then(() => 'timer')])).toBe('file');
    const viaPromise = readFileAsync(file).then(() => 'file');
    expect(await Promise.race([viaPromise, sleep(1).then(() => 'timer')])).toBe('file');
    const dns = lookup('localhost').then(
      () => 'dns',
      () => 'dns',
    );
    expect(await Promise.race([dns, sleep(1).then(() => 'timer')])).toBe('dns');
  });

  it('runs every promise job and nextTick callback a timer sets off before the next timer, however deep', async () => {
    install();
    const order: string[] = [];
    // Promise job → nextTick → promise job → … eight levels deep, as between two real timers.
    const deep = (level: number): void => {
      if (level === 0) order.push('deep end');
      else if (level % 2 === 0) void Promise.resolve().then(() => deep(level - 1));
      else process.nextTick(deep, level - 1);
    };
    setTimeout(() => {
      order.push('first');
      deep(8);
    }, 10);
    setTimeout(() => order.push('second'), 10);
    setTimeout(() => order.push('later'), 11);
    await sleep(20);
    expect(order).toEqual(['first', 'deep end', 'second', 'later']);
  });

  it("relays through the queues where Node's runNextTicks cannot be had, still two levels deep", async () => {
    // Under --pending-deprecation `process._tickCallback` is a wrapper that warns: never called.
    const own = Object.getOwnPropertyDescriptor(process, '_tickCallback');
    let called = 0;
    Object.defineProperty(process, '_tickCallback', {
      value: function deprecated() {
        called++;
      },
      writable: true,
      configurable: true,
    });
    try {
      install();
      const order: string[] = [];
      setTimeout(() => {
        order.push('first');
        void Promise.resolve().then(() =>
          process.nextTick(() => void Promise.resolve().then(() => order.push('two levels'))),
        );
      }, 10);
      setTimeout(() => order.push('second'), 10);
      let fired = 0;
      for (let i = 1; i <= 250; i++) setTimeout(() => fired++, 10 + i); // more than one burst
      await sleep(300);
      expect(order).toEqual(['first', 'two levels', 'second']);
      expect(fired).toBe(250);
      expect(called).toBe(0);
    } finally {
      if (own === undefined) delete (process as { _tickCallback?: unknown })._tickCallback;
      else Object.defineProperty(process, '_tickCallback', own);
    }
  });

  it('never fakes process.nextTick, queueMicrotask or setImmediate, so events and streams work', async () => {
    const clock = install();
    expect(process.nextTick).toBe(real.nextTick);
    expect(globalThis.queueMicrotask).toBe(real.queueMicrotask);
    expect(globalThis.setImmediate).toBe(real.setImmediate);
    const order: string[] = [];
    process.nextTick(() => order.push('tick'));
    queueMicrotask(() => order.push('micro'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order.sort()).toEqual(['micro', 'tick']);
    const emitter = new EventEmitter();
    process.nextTick(() => emitter.emit('ready', 42));
    expect(await once(emitter, 'ready')).toEqual([42]);
    expect(clock.now()).toBe(0);
  });

  it('rejects run() with a LoopLimitError for a zero-delay interval instead of hanging', async () => {
    const clock = new VirtualClock({ loopLimit: 1000 });
    const outcome = clock.run(async () => {
      setInterval(() => {}, 0);
      await new Promise((resolve) => setTimeout(resolve, 3_600_000));
    });
    await expect(outcome).rejects.toBeInstanceOf(LoopLimitError);
    await expect(outcome).rejects.toThrow(/fired 1000 timers without virtual time moving/);
    expect(clock.installed).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('rejects run() with a LoopLimitError for a zero-delay setTimeout chain', async () => {
    const clock = new VirtualClock({ loopLimit: 500 });
    const outcome = clock.run(async () => {
      const again = () => setTimeout(again, 0);
      again();
      await sleep(60_000);
    });
    await expect(outcome).rejects.toBeInstanceOf(LoopLimitError);
  });

  it('rejects advance() when timers keep firing at one instant', async () => {
    const clock = install({ autojump: false, loopLimit: 100 });
    const again = () => clock.setTimer(again, 0);
    again();
    await expect(clock.advance(10)).rejects.toBeInstanceOf(LoopLimitError);
  });

  it('gives identical timestamps and callback order on two runs', async () => {
    async function scenario(): Promise<string[]> {
      const log: string[] = [];
      const clock = new VirtualClock({ start: 5, date: 0 });
      await clock.run(async () => {
        const tasks = [3, 1, 2].map(async (n) => {
          for (let i = 0; i < 4; i++) {
            await sleep(n * 7 + i);
            log.push(`${n}@${clock.now()}/${Date.now()}/${performance.now()}`);
          }
        });
        const ticker = setInterval(() => log.push(`tick@${clock.now()}`), 10);
        await Promise.all(tasks);
        clearInterval(ticker);
      });
      return log;
    }
    const first = await scenario();
    expect(first.length).toBeGreaterThan(12);
    expect(await scenario()).toEqual(first);
  });

  it('gives identical Date.now() on two runs without a `date` option: a fixed start instant', async () => {
    async function scenario(): Promise<Array<number | string>> {
      const seen: Array<number | string> = [];
      await new VirtualClock().run(async () => {
        seen.push(Date.now(), new Date().toISOString());
        await sleep(1234);
        seen.push(Date.now(), new Date().toISOString());
      });
      return seen;
    }
    const first = await scenario();
    await realDelay(5); // real time passes between the two runs
    expect(await scenario()).toEqual(first);
    expect(first).toEqual([
      1704067200000,
      '2024-01-01T00:00:00.000Z',
      1704067201234,
      '2024-01-01T00:00:01.234Z',
    ]);
    const wall = real.Date.now();
    const clock = install({ date: wall });
    expect(Date.now()).toBe(wall);
    await sleep(10);
    expect(Date.now()).toBe(wall + 10);
    expect(clock.now()).toBe(10);
  });

  it('lets a 10 ms heartbeat run through an hour-long sleep: time moves, so no LoopLimitError', async () => {
    const clock = install();
    let beats = 0;
    const heartbeat = setInterval(() => beats++, 10);
    await sleep(3_600_000);
    clearInterval(heartbeat);
    expect(beats).toBe(359_999); // the beat due at 3_600_000 was armed after the sleep: FIFO

    expect(clock.now()).toBe(3_600_000);
  });

  it('finishes a simulated day of timers with the default loopLimit', async () => {
    const clock = new VirtualClock();
    const counts = await clock.run(async () => {
      const seen = { seconds: 0, minutes: 0, jobs: 0 };
      const seconds = setInterval(() => seen.seconds++, 1000);
      const minutes = setInterval(() => seen.minutes++, 60_000);
      const jobs = (async () => {
        for (let hour = 0; hour < 24; hour++) {
          await sleep(3_600_000);
          seen.jobs++;
        }
      })();
      await jobs;
      clearInterval(seconds);
      clearInterval(minutes);
      return seen;
    });
    expect(counts).toEqual({ seconds: 86_399, minutes: 1_439, jobs: 24 }); // FIFO at 86_400_000
    expect(clock.now()).toBe(86_400_000);
  });

  it('still counts zero-delay timers as not moving time, beside a heartbeat too', async () => {
    const clock = new VirtualClock({ loopLimit: 1000 });
    const outcome = clock.run(async () => {
      const spin = () => setTimeout(spin, 0);
      spin();
      await sleep(60_000);
    });
    await expect(outcome).rejects.toMatchObject({ name: 'LoopLimitError', kind: 'spin' });
    const withRunAll = install({ autojump: false, loopLimit: 50 });
    setInterval(() => {}, 10);
    await expect(withRunAll.runAll()).rejects.toMatchObject({
      name: 'LoopLimitError',
      kind: 'runAll',
      message: expect.stringMatching(/runAll\(\) fired 50 timers/),
    });
  });

  it('runs process.hrtime and process.hrtime.bigint on virtual time', async () => {
    const realHrtime = process.hrtime;
    const clock = install({ start: 1_709_591_365_000 });
    expect(process.hrtime.bigint()).toBe(1_709_591_365_000_000_000n);
    const t0 = process.hrtime();
    const b0 = process.hrtime.bigint();
    await sleep(1500.25);
    expect(process.hrtime.bigint() - b0).toBe(1_500_250_000n);
    expect(process.hrtime(t0)).toEqual([1, 500_250_000]);
    expect(clock.now()).toBe(1_709_591_366_500.25);
    expect(() => process.hrtime([1] as never)).toThrow(
      expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }),
    );
    expect(() => process.hrtime('x' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    clock[Symbol.dispose]();
    expect(process.hrtime).toBe(realHrtime);
  });

  it('never gets stuck at a realistic start value', async () => {
    const clock = install({ start: 1_709_591_365_000 });
    await sleep(1);
    await sleep(0.001);
    await sleep(1000);
    expect(clock.now()).toBe(1_709_591_365_000 + 1001.001);
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(clock.now()).toBeGreaterThan(1_709_591_366_001);
  });

  it('refuses a second install and nesting with a clear message', () => {
    const clock = install();
    expect(() => clock.patchLoop()).toThrow(/already installed/);
    expect(() => new VirtualClock().patchLoop()).toThrow(
      /Another VirtualClock is already installed/,
    );
    expect(() => installVirtualClock()).toThrow(/do not nest/);
  });

  it('restores every patched binding on uninstall and leaves no timer behind', async () => {
    const clock = install();
    setTimeout(() => {}, 1000);
    setInterval(() => {}, 10);
    AbortSignal.timeout(100);
    expect(globalThis.setTimeout).not.toBe(real.setTimeout);
    expect(namedSleep).not.toBe(real.namedSleep);
    expect(clock.pending).toBe(3);
    clock[Symbol.dispose]();
    expect(clock.pending).toBe(0);
    expect(globalThis.setTimeout).toBe(real.setTimeout);
    expect(globalThis.setInterval).toBe(real.setInterval);
    expect(globalThis.clearTimeout).toBe(real.clearTimeout);
    expect(globalThis.clearInterval).toBe(real.clearInterval);
    expect(timersCjs.setTimeout).toBe(real.setTimeout);
    expect(timersNs.setTimeout).toBe(real.setTimeout);
    expect(promisesCjs.setTimeout).toBe(real.promisesSetTimeout);
    expect(promisesNs.setTimeout).toBe(real.promisesSetTimeout);
    expect(namedSleep).toBe(real.namedSleep);
    expect(namedInterval).toBe(real.namedInterval);
    expect(scheduler.wait).toBe(real.wait);
    expect(Object.hasOwn(scheduler, 'wait')).toBe(false);
    expect(globalThis.Date).toBe(real.Date);
    expect(performance.now).toBe(real.performanceNow);
    expect(Object.hasOwn(performance, 'now')).toBe(false);
    expect(AbortSignal.timeout).toBe(real.abortTimeout);
    expect(currentClock()).toBe(realClock);
    // Disposing twice, or an old handle, does nothing.
    clock[Symbol.dispose]();
  });

  it('can be installed again after uninstall and keeps its time', async () => {
    const clock = new VirtualClock();
    await clock.run(() => sleep(100));
    await clock.run(() => sleep(100));
    expect(clock.now()).toBe(200);
  });

  it('steps manually with advance() when autojump is off, letting microtasks run between timers', async () => {
    const clock = install({ autojump: false });
    const log: string[] = [];
    const first = sleep(100).then(() => log.push(`a@${clock.now()}`));
    setTimeout(() => log.push(`b@${clock.now()}`), 100);
    void sleep(250).then(() => log.push(`c@${clock.now()}`));
    await realDelay(5);
    expect(log).toEqual([]);
    await clock.advance(100);
    await first;
    expect(log).toEqual(['a@100', 'b@100']);
    await clock.advance(100);
    expect(clock.now()).toBe(200);
    expect(log).toHaveLength(2);
    await clock.runAll();
    expect(log).toEqual(['a@100', 'b@100', 'c@250']);
    await expect(clock.advance(-1)).rejects.toBeInstanceOf(RangeError);
  });

  it('gives out timers and a clock that carry no bookkeeping of their own', () => {
    const clock = install({ autojump: false });
    const timer = setTimeout(() => {}, 10);
    expect(Object.getOwnPropertyNames(timer)).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.getPrototypeOf(timer)).sort()).toEqual(
      ['close', 'constructor', 'hasRef', 'ref', 'refresh', 'unref'].sort(),
    );
    expect(Object.getOwnPropertySymbols(Object.getPrototypeOf(timer))).toEqual([
      Symbol.toPrimitive,
      Symbol.dispose,
    ]);
    expect(Object.getOwnPropertyNames(clock).sort()).toEqual(['autojump', 'loopLimit']);
    timer.close();
  });

  it('calls a timer callback with the timer as `this`, as Node does', async () => {
    const clock = install({ autojump: false });
    let self: unknown;
    const timer = setTimeout(function (this: unknown) {
      self = this;
    }, 10);
    await clock.advance(10);
    expect(self).toBe(timer);
  });

  it('returns Node-like Timeout objects: ref, unref, hasRef, refresh, numeric ids, close', async () => {
    const clock = install({ autojump: false });
    let fired = 0;
    const timer = setTimeout(() => fired++, 100);
    expect(timer.hasRef()).toBe(true);
    expect(timer.unref()).toBe(timer);
    expect(timer.hasRef()).toBe(false);
    timer.ref();
    await clock.advance(60);
    timer.refresh(); // due at 160 now
    await clock.advance(60);
    expect(fired).toBe(0);
    await clock.advance(40);
    expect(fired).toBe(1);
    timer.refresh(); // a fired timer can be re-armed
    await clock.advance(100);
    expect(fired).toBe(2);
    const byId = setTimeout(() => fired++, 10);
    const id = Number(byId);
    expect(typeof id).toBe('number');
    clearTimeout(id);
    const byString = setInterval(() => fired++, 10);
    clearInterval(`${+byString}` as unknown as number);
    const closed = setTimeout(() => fired++, 10).close();
    closed.refresh(); // cleared timers stay cleared
    await clock.advance(100);
    expect(fired).toBe(2);
    expect(clock.pending).toBe(0);
    expect(() => setTimeout('code' as never, 1)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('runs timer callbacks in the async context of their setTimeout/setInterval call', async () => {
    const als = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    await new VirtualClock().run(async () => {
      als.run('a', () => setTimeout(() => seen.push(als.getStore()), 20));
      als.run('b', () => setTimeout(() => seen.push(als.getStore()), 10));
      let ticks = 0;
      als.run('c', () => {
        const handle = setInterval(() => {
          seen.push(als.getStore());
          if (++ticks === 2) clearInterval(handle);
        }, 15);
      });
      await sleep(40);
    });
    expect(seen).toEqual(['b', 'c', 'a', 'c']);
  });

  it('passes extra arguments and the timer as this, and repeats intervals until cleared', async () => {
    const clock = install({ autojump: false });
    const seen: unknown[] = [];
    const interval = setInterval(
      function (this: unknown, a: string, b: number) {
        seen.push([a, b, this === interval, clock.now()]);
        if (seen.length === 3) clearInterval(interval);
      },
      0,
      'x',
      2,
    );
    await clock.advance(10);
    expect(seen).toEqual([
      ['x', 2, true, 1],
      ['x', 2, true, 2],
      ['x', 2, true, 3],
    ]);
  });

  it('keeps Date a proper class', () => {
    install({ date: Date.UTC(2024, 0, 1) });
    const now = new Date();
    expect(now).toBeInstanceOf(Date);
    expect(now).toBeInstanceOf(real.Date);
    expect(new real.Date(0)).toBeInstanceOf(Date);
    expect(now.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(0).getTime()).toBe(0);
    expect(new Date(2020, 1, 2).getFullYear()).toBe(2020);
    expect(Date.parse('1970-01-01T00:00:01Z')).toBe(1000);
    expect(Date.UTC(1970, 0, 1)).toBe(0);
    expect(typeof Date()).toBe('string');
    expect(Date.name).toBe('Date');
    class Sub extends Date {}
    expect(new Sub()).toBeInstanceOf(Sub);
    expect(new Sub().getTime()).toBe(Date.UTC(2024, 0, 1));
  });

  it('clears real timers created before install through the faked clear functions', async () => {
    let fired = false;
    const before = real.setTimeout(() => {
      fired = true;
    }, 1);
    install();
    clearTimeout(before);
    await realDelay(10);
    expect(fired).toBe(false);
  });

  it('does not jump for unref’d timers alone, but fires them on the way', async () => {
    const clock = install();
    let fired = 0;
    setTimeout(() => fired++, 50).unref();
    await realDelay(5);
    expect(clock.now()).toBe(0);
    await sleep(100);
    expect(fired).toBe(1);
  });

  it('holds no real handle and does not spin while nothing virtual keeps the process alive', async () => {
    // The clock takes its real timers from the globals when it is installed: count its calls.
    const globals = globalThis as {
      setImmediate: typeof setImmediate;
      setTimeout: typeof setTimeout;
    };
    const { setImmediate: immediate, setTimeout: timeout } = globals;
    let scheduled = 0;
    globals.setImmediate = ((...args: Parameters<typeof setImmediate>) => {
      scheduled++;
      return immediate(...args);
    }) as typeof setImmediate;
    globals.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
      scheduled++;
      return timeout(...args);
    }) as typeof setTimeout;
    try {
      const clock = install();
      setTimeout(() => {}, 1000).unref();
      await realDelay(20);
      expect(scheduled).toBeLessThanOrEqual(1); // one turn to notice it went dormant
      expect(clock.now()).toBe(0);
      expect(clock.pending).toBe(1);
      clock[Symbol.dispose]();
    } finally {
      current?.[Symbol.dispose]();
      globals.setImmediate = immediate;
      globals.setTimeout = timeout;
    }
  });

  it('drops pending timers at uninstall instead of turning them into real ones', async () => {
    let fired = false;
    const clock = new VirtualClock();
    await clock.run(() => {
      setTimeout(() => {
        fired = true;
      }, 10);
    });
    await realDelay(20);
    expect(fired).toBe(false);
  });

  it('reports a timer callback error as uncaught and goes on', async () => {
    const clock = install();
    const caught: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const onError = (error: unknown) => caught.push(error);
    process.on('uncaughtException', onError);
    try {
      const boom = new Error('boom');
      setTimeout(() => {
        throw boom;
      }, 10);
      await sleep(20);
      expect(caught).toEqual([boom]);
      expect(clock.now()).toBe(20);
    } finally {
      process.off('uncaughtException', onError);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });

  it('validates its options, naming them', () => {
    expect(() => new VirtualClock({ start: Number.NaN })).toThrow(/options\.start/);
    expect(() => new VirtualClock({ autojump: 'yes' as never })).toThrow(/options\.autojump/);
    expect(() => new VirtualClock({ loopLimit: 0 })).toThrow(/options\.loopLimit/);
    expect(() => new VirtualClock({ autojumpThreshold: -1 })).toThrow(/options\.autojumpThreshold/);
    expect(() => new VirtualClock({ date: new Date(Number.NaN) })).toThrow(/options\.date/);
    expect(() => new VirtualClock('x' as never)).toThrow(TypeError);
    expect(() => AbortSignal.timeout(1)).not.toThrow();
  });

  it('reports invalid options in the one message shape', () => {
    expect(() => new VirtualClock({ start: Number.NaN })).toThrow(
      new RangeError('Expected `options.start` to be a finite number, got `NaN` (number)'),
    );
    expect(() => new VirtualClock({ start: '0' as never })).toThrow(
      new TypeError('Expected `options.start` to be a finite number, got `"0"` (string)'),
    );
    expect(() => new VirtualClock({ loopLimit: 0 })).toThrow(
      new RangeError(
        'Expected `options.loopLimit` to be an integer ≥ 1 or Infinity, got `0` (number)',
      ),
    );
    expect(() => new VirtualClock({ loopLimit: '10' as never })).toThrow(TypeError);
    expect(() => new VirtualClock({ loopLimit: Number.POSITIVE_INFINITY })).not.toThrow();
    expect(() => new VirtualClock({ date: new Date(Number.NaN) })).toThrow(
      new RangeError(
        'Expected `options.date` to be a finite number or a valid Date, got `[object Date]` (object)',
      ),
    );
    expect(() => new VirtualClock({ date: 'today' as never })).toThrow(
      new TypeError(
        'Expected `options.date` to be a finite number or a valid Date, got `"today"` (string)',
      ),
    );
    expect(() => new VirtualClock({ autojump: 'yes' as never })).toThrow(
      new TypeError('Expected `options.autojump` to be a boolean, got `"yes"` (string)'),
    );
  });
});
