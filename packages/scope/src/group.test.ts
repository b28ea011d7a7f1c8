import { shield } from '@aiotools/cancel';
import { CancelledError, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskErrorContext } from './exception-handler.js';
import { Group } from './group.js';
import { GroupClosedError } from './group-closed-error.js';
import { Resource } from './resource.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => {
  expect(clock.pending).toBe(0);
  clock[Symbol.dispose]();
});

const never = () => new Promise<never>(() => {});

describe('Group (hat.aio)', () => {
  it('settles 100 wrapped never-done promises on asyncClose and goes open → closing → closed', async () => {
    const group = new Group();
    const tasks = Array.from({ length: 100 }, () => group.wrap(never()));
    expect([group.isOpen, group.isClosing, group.isClosed]).toEqual([true, false, false]);
    await group.asyncClose();
    expect(tasks.every((t) => t.done && t.cancelled())).toBe(true);
    expect([group.isOpen, group.isClosing, group.isClosed]).toEqual([false, true, true]);
    await group.waitClosing();
    await group.waitClosed();
  });

  it('reaches closed when a task of the group closes it', async () => {
    const group = new Group();
    group.spawn(() => group.asyncClose());
    await group.waitClosed();
    expect(group.isClosed).toBe(true);
  });

  it('closes subgroups with the parent, synchronously closing, closed later', async () => {
    const group = new Group();
    const sub = group.createSubgroup();
    const task = sub.spawn(() => sleep(1000));
    group.close();
    expect([group.isClosing, sub.isClosing]).toEqual([true, true]);
    expect(task.done).toBe(false);
    expect([group.isClosed, sub.isClosed]).toEqual([false, false]);
    expect(() => group.createSubgroup()).toThrow(GroupClosedError);
    await group.asyncClose();
    expect(task.cancelled()).toBe(true);
    expect([group.isClosed, sub.isClosed]).toEqual([true, true]);
    expect(() => group.createSubgroup()).toThrow(GroupClosedError);
  });

  it('closes an empty subgroup with its parent', async () => {
    const group = new Group();
    const sub = group.createSubgroup();
    await group.asyncClose();
    expect(sub.isClosed).toBe(true);
  });

  it('refuses a subgroup of a closing parent from inside a cancelled subgroup task', async () => {
    const g1 = new Group();
    const g2 = g1.createSubgroup();
    let caught: unknown;
    g2.spawn(async () => {
      try {
        await sleep(1000);
      } catch {
        try {
          g1.createSubgroup();
        } catch (error) {
          caught = error;
        }
      }
    });
    await clock.advance(0);
    await g1.asyncClose();
    expect(caught).toBeInstanceOf(GroupClosedError);
  });

  it('refuses spawn and wrap after close() and after asyncClose()', async () => {
    const group = new Group();
    group.close();
    expect(() => group.spawn(() => 1)).toThrow(GroupClosedError);
    expect(() => group.wrap(Promise.resolve(1))).toThrow(GroupClosedError);
    await group.asyncClose();
    expect(() => group.spawn(() => 1)).toThrow(GroupClosedError);
  });

  it('is closing and closed at once when empty', () => {
    const group = new Group();
    group.close();
    expect(group.isClosing).toBe(true);
    expect(group.isClosed).toBe(true);
  });

  it('cancels its tasks when disposed', async () => {
    const group = new Group();
    const task = group.spawn(() => sleep(1000));
    await group[Symbol.asyncDispose]();
    expect(task.cancelled()).toBe(true);
  });

  it('re-raises a task error to whoever awaits the task, hands it to the handler, stays open', async () => {
    const seen: TaskErrorContext[] = [];
    const group = new Group({ exceptionHandler: (ctx) => seen.push(ctx) });
    const failing = group.spawn(async () => {
      throw new RangeError('e');
    });
    const sibling = group.spawn(async () => 'fine');
    await expect(failing).rejects.toThrow('e');
    expect(await sibling).toBe('fine');
    expect(seen.map((s) => s.error)).toEqual([new RangeError('e')]);
    expect(group.isOpen).toBe(true);
    await group.asyncClose();
  });

  it('returns the value of a task that catches the cancellation (docs example)', async () => {
    const group = new Group();
    const caught = group.spawn(async () => {
      try {
        await sleep(1000);
        return 'not reached';
      } catch {
        return 'cancelled';
      }
    });
    const plain = group.spawn(async () => 'done');
    await clock.advance(0);
    await group.asyncClose();
    expect(await caught).toBe('cancelled');
    expect(await plain).toBe('done');
  });

  it('closing the parent cancels the tasks of two subgroups', async () => {
    const group = new Group();
    const a = group.createSubgroup().spawn(() => sleep(1000));
    const b = group.createSubgroup().spawn(() => sleep(1000));
    await group.asyncClose();
    expect([a.cancelled(), b.cancelled()]).toEqual([true, true]);
  });

  it('detaches a closed subgroup and leaves the parent open', async () => {
    const group = new Group();
    const sub = group.createSubgroup();
    await sub.asyncClose();
    expect(group.isOpen).toBe(true);
    group.close();
    expect(group.isClosed).toBe(true);
  });

  it('runs a task spawned just before close() to its first checkpoint', async () => {
    const group = new Group();
    const trace: string[] = [];
    group.spawn(async () => {
      trace.push('started');
      await sleep(10);
      trace.push('not reached');
    });
    await group.asyncClose();
    expect(trace).toEqual(['started']);
  });

  it('waits for a task whose cleanup awaits, without closing early', async () => {
    const group = new Group();
    group.spawn(async () => {
      try {
        await sleep(1000);
      } catch {
        await shield(() => sleep(50));
      }
    });
    await clock.advance(0);
    const closed = group.asyncClose();
    expect(group.isClosed).toBe(false);
    await clock.runAll();
    await closed;
    expect(clock.now()).toBe(50);
  });

  it('waitClosing and waitClosed never close anything, and their wait is cancellable', async () => {
    const group = new Group();
    const task = group.spawn(() => sleep(100));
    const waiter = new Group({ exceptionHandler: null });
    const w = waiter.spawn(() => group.waitClosing());
    await clock.advance(0);
    await waiter.asyncClose();
    expect(w.cancelled()).toBe(true);
    expect(group.isOpen).toBe(true);
    await clock.runAll();
    expect(task.done).toBe(true);
    expect(group.isOpen).toBe(true);
    await group.asyncClose();
  });

  it('uses the default warning for task errors and lets a subgroup inherit a handler', async () => {
    const seen: unknown[] = [];
    const group = new Group({ exceptionHandler: ({ error }) => seen.push(error) });
    const sub = group.createSubgroup();
    await sub
      .spawn(() => {
        throw new Error('sub');
      })
      .then(undefined, () => undefined);
    expect(seen).toEqual([new Error('sub')]);
    await group.asyncClose();
  });

  it('is a root scope: a task cancel does not close it', async () => {
    const group = new Group();
    const task = group.spawn(() => sleep(100));
    task.cancel();
    await expect(task).rejects.toBeInstanceOf(CancelledError);
    expect(group.isOpen).toBe(true);
    group.close();
    expect(group.isClosed).toBe(true);
  });
});

describe('Group arguments and errors', () => {
  it('checks its arguments in the one message shape', () => {
    const group = new Group();
    expect(() => group.wrap(42 as never)).toThrow(
      new TypeError('Expected `promise` to be a promise, got `42` (number)'),
    );
    expect(() => group.spawn(() => 1, { name: 7 as never })).toThrow(
      new TypeError('Expected `options.name` to be a string, got `7` (number)'),
    );
    expect(() => new Group({ exceptionHandler: 'log' as never })).toThrow(
      new TypeError(
        'Expected `options.exceptionHandler` to be a function or null, got `"log"` (string)',
      ),
    );
    group.close();
  });

  it('recognises a GroupClosedError of another copy of the package by its brand', () => {
    const group = new Group();
    group.close();
    let thrown: unknown;
    try {
      group.spawn(() => 1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GroupClosedError);
    expect((thrown as Error).name).toBe('GroupClosedError');
    const foreign = Object.defineProperty(
      new Error('closed'),
      Symbol.for('@aiotools/scope.GroupClosedError'),
      {
        value: true,
      },
    );
    expect(foreign instanceof GroupClosedError).toBe(true);
    expect(new Error('closed') instanceof GroupClosedError).toBe(false);
  });

  it('goes from open to closing to closed', async () => {
    const group = new Group();
    const states = [group.state];
    const task = group.spawn(() => sleep(10));
    expect(group.size).toBe(1);
    group.close();
    states.push(group.state);
    await clock.runAll();
    await group.waitClosed();
    states.push(group.state);
    expect(states).toEqual(['open', 'closing', 'closed']);
    expect(task.state).toBe('cancelled');
    expect(group.size).toBe(0);
  });
});

describe('Resource', () => {
  class Conn extends Resource {
    readonly asyncGroup = new Group();
    constructor() {
      super();
      this.asyncGroup.spawn(async () => {
        try {
          await sleep(1000);
        } catch {
          await shield(() => sleep(10));
        }
      });
    }
  }

  it('delegates its lifecycle to its group', async () => {
    const conn = new Conn();
    expect(conn.isOpen).toBe(true);
    await clock.advance(0);
    conn.close();
    expect([conn.isOpen, conn.isClosing, conn.isClosed]).toEqual([false, true, false]);
    await clock.runAll();
    await conn.waitClosed();
    expect(conn.isClosed).toBe(true);
    await conn.asyncClose();
    await conn.waitClosing();
    await conn[Symbol.asyncDispose]();
  });
});
