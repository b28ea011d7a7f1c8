import { failAfter, shield } from '@aiotools/cancel';
import { CancelledError, ExceptionGroup, sleep, TimeoutError } from '@aiotools/core';
import * as scope from '@aiotools/scope';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drive as driveWith } from '../test-fixtures/drive.js';
import { asCompletedSafe } from './as-completed-safe.js';
import { gatherSafe } from './gather-safe.js';
import { race } from './race.js';

let clock: VirtualClock;
const drive = <T>(promise: Promise<T>) => driveWith(clock, promise);
let executed = 0;
let cancelled = 0;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
  executed = 0;
  cancelled = 0;
});
afterEach(() => {
  expect(clock.pending).toBe(0);
  clock[Symbol.dispose]();
});

/** A job that takes `ms`, and 100 ms of shielded cleanup when cancelled. */
function job<T>(ms: number, value: T) {
  return async () => {
    try {
      await sleep(ms);
      executed++;
      return value;
    } catch (error) {
      await shield(() => sleep(100));
      cancelled++;
      throw error;
    }
  };
}

function failJob(ms: number) {
  return async (): Promise<never> => {
    try {
      await sleep(ms);
    } catch (error) {
      await shield(() => sleep(100));
      cancelled++;
      throw error;
    }
    executed++;
    throw new RangeError('zero division');
  };
}

describe('asCompletedSafe (aiotools test_utils_as_completed)', () => {
  it('yields the tasks in completion order', async () => {
    const results = await drive(
      (async () => {
        const out: number[] = [];
        for await (const task of asCompletedSafe([job(300, 3), job(200, 2), job(100, 1)]))
          out.push(await task);
        return out;
      })(),
    );
    expect(results).toEqual([1, 2, 3]);
  });

  it('yields failed tasks too (partial failure)', async () => {
    const { results, errors } = await drive(
      (async () => {
        const results: number[] = [];
        const errors: unknown[] = [];
        for await (const task of asCompletedSafe<number>([
          job(100, 1),
          failJob(200),
          failJob(250),
          job(300, 3),
        ])) {
          try {
            results.push(await task);
          } catch (error) {
            errors.push(error);
          }
        }
        return { results, errors };
      })(),
    );
    expect(results).toEqual([1, 3]);
    expect(errors).toEqual([new RangeError('zero division'), new RangeError('zero division')]);
  });

  it('yields immediate failures without cancelling anything', async () => {
    const errors = await drive(
      (async () => {
        const errors: unknown[] = [];
        for await (const task of asCompletedSafe([failJob(0), failJob(0), failJob(0)]))
          errors.push(task.exception());
        return errors;
      })(),
    );
    expect(errors).toHaveLength(3);
    expect(cancelled).toBe(0);
  });

  it('cancels and awaits the rest when an outer timeout hits while waiting', async () => {
    const results: number[] = [];
    let loops = 0;
    const error = await drive(
      failAfter(150, async () => {
        for await (const task of asCompletedSafe([job(100, 1), job(200, 2), job(300, 3)])) {
          results.push(await task);
          loops++;
        }
      }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect([loops, executed, cancelled, results]).toEqual([1, 1, 2, [1]]);
    expect(clock.now()).toBe(250);
  });

  it('cancels and awaits the rest when the timeout hits in the loop body', async () => {
    const results: number[] = [];
    let loops = 0;
    const error = await drive(
      failAfter(150, async () => {
        for await (const task of asCompletedSafe([job(100, 1), job(200, 2), job(300, 3)])) {
          results.push(await task);
          await sleep(1000);
          loops++;
        }
      }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect([loops, cancelled, results]).toEqual([0, 2, [1]]);
  });

  it('cancels the rest when the loop body raises a cancellation', async () => {
    const error = await drive(
      (async () => {
        let n = 0;
        for await (const _ of asCompletedSafe([job(100, 1), job(200, 2), job(300, 3)])) {
          if (++n === 2) throw new CancelledError();
        }
      })().catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect([executed, cancelled]).toEqual([2, 1]);
  });

  it('cancels the rest when the loop body throws (for await closes the iterator)', async () => {
    const error = await drive(
      (async () => {
        let n = 0;
        for await (const _ of asCompletedSafe([job(100, 1), job(200, 2), job(300, 3)])) {
          if (++n === 2) throw new RangeError('body');
        }
      })().catch((e: unknown) => e),
    );
    expect(error).toEqual(new RangeError('body'));
    expect([executed, cancelled]).toEqual([2, 1]);
  });

  it('cancels the rest on an explicit return() or disposal', async () => {
    await drive(
      (async () => {
        const it = asCompletedSafe([job(100, 1), job(200, 2), job(300, 3)]);
        const first = await it.next();
        expect(first.done).toBe(false);
        await it.return!();
        expect(await it.next()).toEqual({ done: true, value: undefined });
        const it2 = asCompletedSafe([job(100, 1)]);
        await it2[Symbol.asyncDispose]();
      })(),
    );
    expect([executed, cancelled]).toEqual([1, 3]);
  });

  it('serves concurrent next() calls each with its own task', async () => {
    const values = await drive(
      (async () => {
        const it = asCompletedSafe([job(100, 1), job(200, 2)]);
        const [a, b] = await Promise.all([it.next(), it.next()]);
        const rest = await it.next();
        return [await a.value, await b.value, rest.done];
      })(),
    );
    expect(values).toEqual([1, 2, true]);
  });

  it('rejects input that is not an iterable of functions', () => {
    expect(() => asCompletedSafe(3 as never)).toThrow(TypeError);
    expect(() => asCompletedSafe([3 as never])).toThrow(/fns\[0\]/);
  });
});

describe('gatherSafe (aiotools test_utils_gather)', () => {
  it('returns the results in input order', async () => {
    const results = await drive(gatherSafe([job(300, 3), job(200, 2), job(100, 1)]));
    expect(results).toEqual([
      { status: 'fulfilled', value: 3 },
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 1 },
    ]);
  });

  it('returns the errors in place (partial failure)', async () => {
    const results = await drive(gatherSafe<number>([job(300, 3), failJob(200), job(100, 1)]));
    expect(results).toEqual([
      { status: 'fulfilled', value: 3 },
      { status: 'rejected', reason: new RangeError('zero division') },
      { status: 'fulfilled', value: 1 },
    ]);
    expect(cancelled).toBe(0);
  });

  it('cancels and awaits the unfinished jobs under an outer timeout', async () => {
    const error = await drive(
      failAfter(350, () =>
        gatherSafe([100, 200, 300, 400, 500, 600, 150].map((ms) => job(ms, ms))),
      ).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(cancelled).toBe(3);
  });
});

describe('race (aiotools test_utils_race)', () => {
  it('returns the first success and cancels the losers; throws the first failure', async () => {
    expect(await drive(race<number>([job(100, 1), failJob(300), job(500, 5)]))).toEqual([1, []]);
    expect(cancelled).toBe(2);
    cancelled = 0;
    await expect(drive(race<number>([failJob(300), job(400, 4), job(500, 5)]))).rejects.toEqual(
      new RangeError('zero division'),
    );
    expect(cancelled).toBe(2);
  });

  it('continues on error until a success', async () => {
    const [value, errors] = await drive(
      race<number>([failJob(100), failJob(200), job(400, 4), job(500, 5), job(600, 6)], {
        continueOnError: true,
      }),
    );
    expect(value).toBe(4);
    expect(errors).toEqual([new RangeError('zero division'), new RangeError('zero division')]);
    expect(cancelled).toBe(2);
  });

  it('throws on empty input', async () => {
    await expect(race([])).rejects.toThrow(RangeError);
  });

  it('throws the first error when all fail', async () => {
    await expect(drive(race([failJob(100), failJob(200), failJob(300)]))).rejects.toEqual(
      new RangeError('zero division'),
    );
    expect(cancelled).toBe(2);
  });

  it('throws an ExceptionGroup when all fail with continueOnError', async () => {
    const error = await drive(
      race([failJob(100), failJob(200), failJob(300)], { continueOnError: true }).catch(
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toHaveLength(3);
    expect(cancelled).toBe(0);
  });

  it('rejects a continueOnError that is not a boolean, before starting anything', async () => {
    // Reported: race(fns, { continueOnError: 'yes' }) was accepted.
    let started = 0;
    const fns = [() => ++started];
    await expect(scope.race(fns, { continueOnError: 'yes' as never })).rejects.toThrow(
      new TypeError('Expected `options.continueOnError` to be a boolean, got `"yes"` (string)'),
    );
    await expect(scope.race(fns, { continueOnError: 1 as never })).rejects.toThrow(TypeError);
    expect(started).toBe(0);
    expect(await scope.race(fns, { continueOnError: undefined })).toEqual([1, []]);
  });

  it('rejects an empty input and a non-function element in the one message shape', async () => {
    await expect(scope.race([])).rejects.toThrow(
      new RangeError(
        'Expected `fns` to be a non-empty iterable of functions, got `[object Array]` (object)',
      ),
    );
    await expect(scope.race([() => 1, null as never])).rejects.toThrow(
      new TypeError('Expected `fns[1]` to be a function, got `null` (null)'),
    );
    await expect(scope.gatherSafe(3 as never)).rejects.toThrow(
      new TypeError('Expected `fns` to be an iterable of functions, got `3` (number)'),
    );
  });
});
