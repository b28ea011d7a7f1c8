import { CancelledError, checkpoint } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { actxgroup } from './actxgroup.js';
import { actxmgr } from './actxmgr.js';
import { withContext } from './with-context.js';

// Ports of aiotools' test_actxgroup* tests.
describe('actxgroup', () => {
  it('enters and exits every member, values in member order', async () => {
    let exitCount = 0;
    const ctx = actxmgr(async function* (a: number) {
      await checkpoint();
      yield a + 10;
      await checkpoint();
      exitCount += 1;
    });
    const group = actxgroup();
    for (let i = 0; i < 3; i++) group.add(ctx(i));
    expect(group.size).toBe(3);
    await withContext(group, (values) => {
      expect(values).toEqual([10, 11, 12]);
    });
    expect(exitCount).toBe(3);
    expect(group.exitStates()).toEqual([false, false, false]);

    exitCount = 0;
    const fromIterable = actxgroup([0, 1, 2].map((i) => ctx(i)));
    await withContext(fromIterable, (values) => {
      expect(values).toEqual([10, 11, 12]);
    });
    expect(exitCount).toBe(3);
  });

  it('enters the members concurrently', async () => {
    const order: string[] = [];
    const ctx = actxmgr(async function* (name: string) {
      order.push(`start ${name}`);
      await checkpoint();
      order.push(`end ${name}`);
      yield name;
    });
    await withContext(actxgroup([ctx('a'), ctx('b')]), () => undefined);
    expect(order).toEqual(['start a', 'start b', 'end a', 'end b']);
  });

  it('puts enter errors in place of values and exit errors in the exit states', async () => {
    const cancelled = new CancelledError();
    const zero = new RangeError('zero');
    const ctx1 = actxmgr(async function* (a: number) {
      await checkpoint();
      throw cancelled;
      // biome-ignore lint/correctness/noUnreachable: must be a generator
      yield a;
    });
    const ctx2 = actxmgr(async function* (a: number) {
      await checkpoint();
      throw zero;
      // biome-ignore lint/correctness/noUnreachable: must be a generator
      yield a;
    });
    const enterFailed = actxgroup([ctx1(1), ctx2(2)]);
    await withContext(enterFailed, (values) => {
      expect(values[0]).toBe(cancelled);
      expect(values[1]).toBe(zero);
    });
    // Members that never entered are not exited.
    expect(enterFailed.exitStates()).toEqual([undefined, undefined]);

    const ctx3 = actxmgr(async function* (a: number) {
      yield a;
      throw cancelled;
    });
    const ctx4 = actxmgr(async function* (a: number) {
      yield a;
      throw zero;
    });
    const exitFailed = actxgroup([ctx3(1), ctx4(2)]);
    await withContext(exitFailed, (values) => {
      expect(values).toEqual([1, 2]);
    });
    const exits = exitFailed.exitStates();
    expect(exits[0]).toBe(cancelled);
    expect(exits[1]).toBe(zero);
  });

  it('throws the body error into every member and never suppresses it', async () => {
    let exitCount = 0;
    const noFinally = actxmgr(async function* (a: number) {
      await checkpoint();
      yield a;
      await checkpoint();
      exitCount += 1; // skipped: the body error is raised at the yield
    });
    const bomb = new RangeError('bomb');
    const group = actxgroup([noFinally(1), noFinally(2)]);
    await expect(
      withContext(group, (values) => {
        expect(values).toEqual([1, 2]);
        throw bomb;
      }),
    ).rejects.toBe(bomb);
    expect(group.exitStates()).toEqual([false, false]);
    expect(exitCount).toBe(0);

    const withFinally = actxmgr(async function* (a: number) {
      try {
        await checkpoint();
        yield a;
      } finally {
        await checkpoint();
        exitCount += 1;
      }
    });
    const swallowing = actxmgr(async function* () {
      try {
        yield 0;
      } catch {}
    });
    const group2 = actxgroup([withFinally(1), withFinally(2), swallowing()]);
    await expect(
      withContext(group2, () => {
        throw bomb;
      }),
    ).rejects.toBe(bomb);
    expect(exitCount).toBe(2);
    expect(group2.exitStates()).toEqual([false, false, true]);
  });

  it('can be entered again after exit, but not while entered, and refuses add() while entered', async () => {
    const ctx = actxmgr(async function* (a: number) {
      yield a;
    });
    const group = actxgroup([ctx(1)]);
    await group.enter();
    await expect(group.enter()).rejects.toThrow(/already entered/);
    expect(() => group.add(ctx(2))).toThrow(/while it is entered/);
    await group.exit();
    await expect(group.exit()).rejects.toThrow(/not entered/);
    expect(() => group.add({} as never)).toThrow(TypeError);
    expect(() => actxgroup(5 as never)).toThrow(TypeError);
    expect(() => actxgroup(5 as never)).toThrow(
      'Expected `cms` to be an iterable of context managers, got `5` (number)',
    );
  });
});
