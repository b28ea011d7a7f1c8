import {
  CancelledError,
  CancelNode,
  checkpoint,
  ExceptionGroup,
  isCancellation,
  sleep,
  TimeoutError,
} from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { rejection } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { failAfter, timeout } from './fail-after.js';
import { failAt, timeoutAt } from './fail-at.js';
import { moveOnAfter } from './move-on-after.js';
import { moveOnAt } from './move-on-at.js';
import { shield } from './shield.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

describe('moveOnAfter and moveOnAt', () => {
  it('returns the value when the body finishes in time', async () => {
    const p = moveOnAfter(100, async () => {
      await sleep(50);
      return 'in time';
    });
    await clock.advance(50);
    await expect(p).resolves.toBe('in time');
    expect(clock.pending).toBe(0);
  });

  it('resolves to undefined when the time runs out, after the cleanup ran', async () => {
    const trace: string[] = [];
    let seen: CancelScope | undefined;
    const p = moveOnAfter(100, async (scope) => {
      seen = scope;
      try {
        await sleep(1000);
      } finally {
        await shield(() => sleep(30));
        trace.push(`cleanup done at ${clock.now()}`);
      }
    });
    await clock.advance(200);
    await expect(p).resolves.toBeUndefined();
    expect(trace).toEqual(['cleanup done at 130']);
    expect(seen?.cancelledCaught).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('leaves the caller uncancelled after expiring (aiotools §3.3: no leftover cancel request)', async () => {
    const outer = new CancelScope();
    const p = outer.run(async () => {
      await moveOnAfter(10, () => sleep(100));
      await sleep(5);
      return 'went on';
    });
    await clock.advance(20);
    await expect(p).resolves.toBe('went on');
    expect(outer.cancelCalled).toBe(false);
  });

  it('lets an outer cancellation pass through', async () => {
    const outer = new CancelScope();
    let inner: CancelScope | undefined;
    const p = outer.run(() =>
      moveOnAfter(100, async (scope) => {
        inner = scope;
        await sleep(1000);
      }),
    );
    await clock.advance(10);
    outer.cancel();
    await expect(p).resolves.toBeUndefined();
    expect(outer.cancelledCaught).toBe(true);
    expect(inner?.cancelledCaught).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('with a zero time limit runs the body to its first checkpoint', async () => {
    const trace: string[] = [];
    await moveOnAfter(0, async () => {
      trace.push('started');
      await checkpoint();
      trace.push('unreachable');
    });
    expect(trace).toEqual(['started']);
  });

  it('moveOnAt uses an absolute deadline on the current clock', async () => {
    await clock.advance(1000);
    const p = moveOnAt(1050, () => sleep(500));
    await clock.advance(49);
    let settled = false;
    void p.then(() => {
      settled = true;
    });
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    await expect(p).resolves.toBeUndefined();
  });

  it('a shielded moveOnAfter keeps its deadline but blocks the outer cancellation', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    const p = outer.run(async () => {
      await moveOnAfter(
        50,
        async () => {
          await sleep(20);
          trace.push('shielded work done');
          await sleep(100);
        },
        { shield: true },
      );
      trace.push(`moved on at ${clock.now()}`);
      await checkpoint();
      trace.push('unreachable');
    });
    await clock.advance(5);
    outer.cancel();
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['shielded work done', 'moved on at 50']);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('validates its arguments and reports them as rejections', async () => {
    await expect(moveOnAfter(-1, () => 1)).rejects.toThrow(/`ms`/);
    await expect(moveOnAfter(Number.NaN, () => 1)).rejects.toBeInstanceOf(RangeError);
    await expect(moveOnAfter(Number.POSITIVE_INFINITY, () => 1)).rejects.toBeInstanceOf(RangeError);
    await expect(moveOnAt(Number.NaN, () => 1)).rejects.toThrow(/`deadline`/);
    await expect(moveOnAt(Number.NEGATIVE_INFINITY, () => 1)).rejects.toBeInstanceOf(RangeError);
    await expect(moveOnAfter(1, 'nope' as unknown as () => 1)).rejects.toThrow(/`fn`/);
    await expect(moveOnAfter(1, () => 1, { shield: 1 as unknown as boolean })).rejects.toThrow(
      /`options\.shield`/,
    );
    await expect(moveOnAt(Number.POSITIVE_INFINITY, () => 'no deadline')).resolves.toBe(
      'no deadline',
    );
  });
});

describe('failAfter and failAt', () => {
  it('returns the value when the body finishes in time', async () => {
    const p = failAfter(100, async () => {
      await sleep(99);
      return 7;
    });
    await clock.advance(99);
    await expect(p).resolves.toBe(7);
    expect(clock.pending).toBe(0);
  });

  it('throws a TimeoutError caused by the deadline cancellation, after the cleanup ran', async () => {
    const trace: string[] = [];
    const p = failAfter(100, async () => {
      try {
        await sleep(1000);
      } finally {
        await shield(() => sleep(10));
        trace.push('cleanup');
      }
    });
    const error = rejection(p);
    await clock.advance(200);
    const timeoutError = (await error) as TimeoutError;
    expect(timeoutError).toBeInstanceOf(TimeoutError);
    expect(timeoutError.message).toMatch(/100 ms/);
    expect(timeoutError.cause).toBeInstanceOf(CancelledError);
    expect(isCancellation(timeoutError)).toBe(false);
    expect(trace).toEqual(['cleanup']);
  });

  it('returns the value of a body that catches its deadline cancellation', async () => {
    const p = failAfter(10, async () => {
      try {
        await sleep(100);
        return 'finished';
      } catch {
        return 'gave up nicely';
      }
    });
    await clock.advance(10);
    await expect(p).resolves.toBe('gave up nicely');
  });

  it('lets an outer cancellation surface as the outer cancellation, never as a TimeoutError', async () => {
    const outer = new CancelScope();
    let leaving: unknown;
    const p = outer.run(async () => {
      try {
        await failAfter(100, () => sleep(1000));
      } catch (error) {
        leaving = error;
        throw error;
      }
    });
    await clock.advance(10);
    outer.cancel('outer');
    await expect(p).resolves.toBeUndefined();
    expect(leaving).toBe(outer.reason);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('deadline expired and outer cancelled meanwhile: the outer cancellation wins (asyncbis "timeout+outer")', async () => {
    const outer = new CancelScope();
    let leaving: unknown;
    const p = outer.run(async () => {
      try {
        await failAfter(10, async () => {
          try {
            await sleep(1000);
          } finally {
            await shield(() => sleep(20)); // the outer is cancelled during this cleanup
          }
        });
      } catch (error) {
        leaving = error;
        throw error;
      }
    });
    await clock.advance(15);
    outer.cancel('outer');
    await clock.advance(100);
    await expect(p).resolves.toBeUndefined();
    expect(leaving).not.toBeInstanceOf(TimeoutError);
    expect((leaving as Error).message).toBe('outer');
    expect(outer.cancelledCaught).toBe(true);
  });

  it('gives exactly one TimeoutError for a group of cancellations all caused by its deadline', async () => {
    const p = failAfter(10, async () => {
      const results = await Promise.allSettled([sleep(100), sleep(200), sleep(300)]);
      throw new ExceptionGroup(results.map((r) => (r as PromiseRejectedResult).reason));
    });
    const error = rejection(p);
    await clock.advance(10);
    expect(await error).toBeInstanceOf(TimeoutError);
  });

  it('an explicit cancel of its scope rejects with that reason, even after the deadline passed (anyio xfail)', async () => {
    const p = failAfter(10, async (scope) => {
      scope.cancel('manual');
      try {
        await checkpoint();
      } finally {
        await shield(() => sleep(50)); // now well past the deadline
      }
    });
    const error = rejection(p);
    await clock.advance(100);
    const reason = await error;
    expect(reason).not.toBeInstanceOf(TimeoutError);
    expect(reason).toBeInstanceOf(CancelledError);
    expect((reason as Error).message).toBe('manual');
  });

  it('with a deadline already past at entry runs the body to its first checkpoint, then times out (asyncbis P)', async () => {
    await clock.advance(100);
    const trace: string[] = [];
    const p = failAt(50, async () => {
      trace.push('started');
      await checkpoint();
      trace.push('unreachable');
    });
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(trace).toEqual(['started']);
  });

  it('shielded: its own deadline fires inside a cancelled task; the outer cancellation hits after it (asyncbis Q)', async () => {
    const trace: string[] = [];
    const task = new CancelNode(undefined, { kind: 'task' });
    const p = task.run(async () => {
      try {
        await failAfter(50, () => sleep(1000), { shield: true });
      } catch (error) {
        trace.push(`${(error as Error).name} at ${clock.now()}`);
      }
      try {
        await checkpoint();
      } catch (error) {
        trace.push(`then ${(error as Error).message}`);
      }
    });
    await clock.advance(10);
    task.cancel('group cancelled');
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['TimeoutError at 50', 'then group cancelled']);
  });

  it('is not swallowed by a task whose body sits inside it (asyncbis B)', async () => {
    const task = new CancelNode(undefined, { kind: 'task' });
    const trace: string[] = [];
    const p = task.run(async () => {
      await failAfter(5000, () => sleep(10_000));
      trace.push('unreachable');
    });
    await clock.advance(10);
    task.cancel();
    const error = await rejection(p);
    expect(task.swallows(error)).toBe(true);
    expect(trace).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('timeout and timeoutAt are the same functions', () => {
    expect(timeout).toBe(failAfter);
    expect(timeoutAt).toBe(failAt);
  });

  it('validates its arguments and reports them as rejections', async () => {
    await expect(failAfter(-5, () => 1)).rejects.toThrow(/`ms`/);
    await expect(failAfter(Number.POSITIVE_INFINITY, () => 1)).rejects.toBeInstanceOf(RangeError);
    await expect(failAt(Number.NaN, () => 1)).rejects.toThrow(/`deadline`/);
    await expect(failAt(1, null as unknown as () => 1)).rejects.toBeInstanceOf(TypeError);
    await expect(failAfter(1, () => 1, 'x' as unknown as object)).rejects.toThrow(/`options`/);
  });
});

describe('nesting (aiotools §3 quirks that must not happen here)', () => {
  it('a nested deadline under an outer shield is enforced on time and nothing escapes the shield (§3.5)', async () => {
    const trace: string[] = [];
    const p = shield(async () => {
      try {
        await failAfter(100, () => sleep(1000));
      } catch (error) {
        trace.push(`${(error as Error).name} at ${clock.now()}`);
      }
      await sleep(10);
      trace.push('shield body finished');
    });
    await clock.advance(200);
    await p;
    expect(trace).toEqual(['TimeoutError at 100', 'shield body finished']);
  });

  it('a self-raised CancelledError in an inner scope under an outer shield is not swallowed (§3.6)', async () => {
    const manual = new CancelledError('self-raised');
    const p = shield(() =>
      new CancelScope().run(() => {
        throw manual;
      }),
    );
    await expect(p).rejects.toBe(manual);
  });

  it('a task cancelled inside its own nested scope ends cancelled; the nested scope does not catch (asyncbis A)', async () => {
    const task = new CancelNode(undefined, { kind: 'task' });
    const trace: string[] = [];
    const inner = new CancelScope();
    const p = task.run(async () => {
      await inner.run(() => sleep(100));
      trace.push('continued');
    });
    await clock.advance(10);
    task.cancel();
    const error = await rejection(p);
    expect(task.swallows(error)).toBe(true);
    expect(inner.cancelledCaught).toBe(false);
    expect(trace).toEqual([]);
  });
});
