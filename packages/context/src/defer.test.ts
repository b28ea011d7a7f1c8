import { describe, expect, it } from 'vitest';
import { adefer } from './adefer.js';
import { defer } from './defer.js';
import { SuppressedError } from './suppressed-error.js';

// Ports of aiotools' tests/test_defer.py, plus the all-run/aggregation choice.
describe('defer', () => {
  it('runs deferred callbacks in reverse order after the function', () => {
    const x: number[] = [];
    const result = defer((d) => {
      x.push(1);
      d(() => x.push(1));
      x.push(2);
      d(() => x.push(2));
      x.push(3);
      d(() => x.push(3));
      return 'done';
    });
    expect(result).toBe('done');
    expect(x).toEqual([1, 2, 3, 3, 2, 1]);
  });

  it('runs the callbacks registered so far when the function throws, and rethrows its error', () => {
    const x: number[] = [];
    const zero = new RangeError('zero');
    expect(() =>
      defer((d) => {
        x.push(1);
        d(() => x.push(1));
        x.push(2);
        d(() => x.push(2));
        throw zero;
      }),
    ).toThrow(zero);
    expect(x).toEqual([1, 2, 2, 1]);
  });

  it('refuses async functions', () => {
    expect(() => defer(async () => undefined)).toThrow(TypeError);
    expect(() => defer(async () => undefined)).toThrow(
      'Expected `fn` to be a synchronous function (use adefer() for async functions), got `[function]` (function)',
    );
    expect(() => defer((d) => d(async () => undefined))).toThrow(/async/);
    expect(() => defer(() => Promise.reject(new Error('x')))).toThrow(/returned a promise/);
    expect(() => defer((d) => d(() => Promise.reject(new Error('x')) as never))).toThrow(
      /returned a promise/,
    );
    expect(() => defer(1 as never)).toThrow(TypeError);
  });

  it('runs every callback even when some fail, chaining the errors', () => {
    const x: number[] = [];
    const work = new Error('work');
    const cleanup = new Error('cleanup');
    let caught: unknown;
    try {
      defer((d) => {
        d(() => x.push(1));
        d(() => {
          throw cleanup;
        });
        d(() => x.push(3));
        throw work;
      });
    } catch (error) {
      caught = error;
    }
    expect(x).toEqual([3, 1]);
    expect(caught).toBeInstanceOf(SuppressedError);
    expect((caught as SuppressedError).error).toBe(cleanup);
    expect((caught as SuppressedError).suppressed).toBe(work);
  });

  it('refuses registrations after it returned', () => {
    let leaked!: (cb: () => void) => void;
    defer((d) => {
      leaked = d;
    });
    expect(() => leaked(() => undefined)).toThrow(ReferenceError);
  });
});

describe('adefer', () => {
  const asyncAppend = async (target: number[], item: number) => {
    target.push(item);
    await Promise.resolve();
  };

  it('runs sync lambdas in reverse order', async () => {
    const x: number[] = [];
    await adefer(async (d) => {
      x.push(1);
      d(() => x.push(1));
      x.push(2);
      d(() => x.push(2));
      x.push(3);
      d(() => x.push(3));
    });
    expect(x).toEqual([1, 2, 3, 3, 2, 1]);
  });

  it('awaits deferred promises', async () => {
    const x: number[] = [];
    const log: string[] = [];
    const later = (item: number) =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => log.push(`p${item}`));
    await adefer(async (d) => {
      x.push(1);
      d(later(1));
      x.push(2);
      d(later(2));
    });
    expect(x).toEqual([1, 2]);
    expect(log.sort()).toEqual(['p1', 'p2']);
  });

  it('awaits deferred async functions one after the other', async () => {
    const x: number[] = [];
    await adefer(async (d) => {
      x.push(1);
      d(() => asyncAppend(x, 1));
      x.push(2);
      d(asyncAppend.bind(null, x, 2));
      x.push(3);
      d(() => asyncAppend(x, 3));
    });
    expect(x).toEqual([1, 2, 3, 3, 2, 1]);
  });

  it('runs the cleanups registered so far when the function throws', async () => {
    const x: number[] = [];
    const zero = new RangeError('zero');
    await expect(
      adefer(async (d) => {
        x.push(1);
        d(() => asyncAppend(x, 1));
        x.push(2);
        d(() => asyncAppend(x, 2));
        throw zero;
      }),
    ).rejects.toBe(zero);
    expect(x).toEqual([1, 2, 2, 1]);
  });

  it('accepts a sync function (unlike aiotools) and rejects non-functions', async () => {
    const x: number[] = [];
    await expect(
      adefer((d) => {
        d(() => x.push(1));
        return 5;
      }),
    ).resolves.toBe(5);
    expect(x).toEqual([1]);
    await expect(adefer(3 as never)).rejects.toThrow(TypeError);
    await expect(adefer((d) => d(7 as never))).rejects.toThrow(TypeError);
    await expect(adefer((d) => d(7 as never))).rejects.toThrow(
      'Expected `cb` to be a function or a promise, got `7` (number)',
    );
  });

  it('runs every cleanup even when some fail, chaining the errors', async () => {
    const x: number[] = [];
    const first = new Error('first');
    const second = new Error('second');
    const error = await adefer(async (d) => {
      d(() => x.push(1));
      d(Promise.reject(second));
      d(async () => {
        throw first;
      });
    }).catch((e: unknown) => e);
    expect(x).toEqual([1]);
    expect((error as SuppressedError).error).toBe(second);
    expect((error as SuppressedError).suppressed).toBe(first);
  });
});
