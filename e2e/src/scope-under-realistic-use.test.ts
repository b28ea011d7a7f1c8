// What users hit with the scope and cancel packages, run against the built packages: async
// context per task, enclosing cancellation never lost, no memory per ended root scope, waits
// that keep the ambient scope, dead scopes that stay dead, one error reported once.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancelScope, failAfter, moveOnAfter, shield } from '@aiotools/cancel';
import { ContextVar } from '@aiotools/context';
import {
  CancelledError,
  currentNode,
  currentSignal,
  ExceptionGroup,
  sleep,
  TimeoutError,
} from '@aiotools/core';
import {
  asCompletedSafe,
  formatTaskTree,
  Group,
  gatherSafe,
  race,
  Supervisor,
  TaskGroup,
  TaskScope,
} from '@aiotools/scope';
import { Queue } from '@aiotools/sync';
import { createTimer } from '@aiotools/timer';
import { VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let clock: VirtualClock;
let restore: Disposable;
beforeEach(() => {
  clock = new VirtualClock();
  restore = clock.patchLoop();
});
afterEach(() => restore[Symbol.dispose]());

const users = ['alice', 'bob', 'carol'];

describe('a task body runs in the async context of its spawn()', () => {
  const als = new AsyncLocalStorage<string>();
  const user = new ContextVar<string>('user', { default: 'nobody' });

  it('TaskGroup: every AsyncLocalStorage and every ContextVar', async () => {
    const seen: string[] = [];
    await TaskGroup.run(async (tg) => {
      for (const name of users)
        als.run(name, () =>
          user.run(name, () =>
            tg.spawn(async () => {
              seen.push(`${name}:${als.getStore()}:${user.get()}`);
              await sleep(1);
              seen.push(`${name}:${als.getStore()}:${user.get()}`);
            }),
          ),
        );
    });
    expect(seen.sort()).toEqual([
      'alice:alice:alice',
      'alice:alice:alice',
      'bob:bob:bob',
      'bob:bob:bob',
      'carol:carol:carol',
      'carol:carol:carol',
    ]);
  });

  it('TaskScope, Supervisor, Group and start()', async () => {
    const seen: string[] = [];
    const record = (where: string, name: string) => () => {
      seen.push(`${where} ${name}->${als.getStore()}`);
    };
    await TaskScope.run(async (ts) => {
      for (const name of users) als.run(name, () => ts.spawn(record('scope', name)));
    });
    await Supervisor.run(async (sv) => {
      for (const name of users) als.run(name, () => sv.spawn(record('supervisor', name)));
    });
    const group = new Group();
    for (const name of users) als.run(name, () => group.spawn(record('group', name)));
    await TaskGroup.run(async (tg) => {
      for (const name of users)
        await als.run(name, () =>
          tg.start(async (_signal, started) => {
            record('start', name)();
            started();
          }),
        );
    });
    await group.asyncClose();
    const expected = ['scope', 'supervisor', 'group', 'start'].flatMap((where) =>
      users.map((name) => `${where} ${name}->${name}`),
    );
    expect(seen.sort()).toEqual(expected.sort());
  });

  it('gatherSafe, race and asCompletedSafe run their functions in the caller context', async () => {
    const results = await als.run('alice', () =>
      gatherSafe([() => als.getStore(), async () => als.getStore()]),
    );
    expect(results.map((r) => r.status === 'fulfilled' && r.value)).toEqual(['alice', 'alice']);
    const [winner] = await als.run('bob', () => race([async () => als.getStore()]));
    expect(winner).toBe('bob');
    const seen: unknown[] = [];
    await als.run('carol', async () => {
      for await (const task of asCompletedSafe([async () => als.getStore()])) seen.push(await task);
    });
    expect(seen).toEqual(['carol']);
  });

  it('timer ticks run in the context the timer was created in', async () => {
    const seen: (string | undefined)[] = [];
    const timer = als.run('alice', () =>
      createTimer(() => {
        seen.push(als.getStore());
      }, 10),
    );
    await sleep(25);
    timer.cancel();
    await timer.then(undefined, () => undefined);
    expect(seen).toEqual(['alice', 'alice', 'alice']);
  });
});

describe("an enclosing scope's cancellation is never swallowed", () => {
  const group = (tg: TaskGroup) => {
    tg.spawn(() => sleep(1_000));
  };

  it('moveOnAfter around a TaskGroup whose body returned gives undefined', async () => {
    const after: string[] = [];
    const result = await moveOnAfter(20, async () => {
      await TaskGroup.run(async (tg) => group(tg));
      after.push('reached');
      return 'completed';
    });
    expect(result).toBeUndefined();
    expect(after).toEqual([]);
    expect(clock.now()).toBe(20);
  });

  it('failAfter around a TaskGroup throws TimeoutError', async () => {
    await expect(failAfter(20, () => TaskGroup.run(async (tg) => group(tg)))).rejects.toThrow(
      TimeoutError,
    );
  });

  it('a cancelled CancelScope: the group throws its reason, the scope catches it', async () => {
    const scope = new CancelScope();
    const result = await scope.run(async () => {
      await TaskGroup.run(async (tg) => {
        tg.spawn(() => sleep(1_000));
        scope.cancel();
      });
      return 'completed';
    });
    expect(result).toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it('a body that threw does not turn the cancellation into its own error', async () => {
    const result = await moveOnAfter(20, () =>
      TaskGroup.run(async (tg) => {
        tg.spawn(() => sleep(1_000));
        await sleep(1_000);
      }),
    );
    expect(result).toBeUndefined();
  });

  it('a TaskScope closed through Symbol.asyncDispose', async () => {
    const after: string[] = [];
    const result = await moveOnAfter(20, async () => {
      {
        await using ts = new TaskScope();
        ts.spawn(() => sleep(1_000));
      }
      after.push('reached');
      return 'completed';
    });
    expect(result).toBeUndefined();
    expect(after).toEqual([]);
  });

  it('an await using block whose body and disposal both end with the cancellation', async () => {
    const result = await moveOnAfter(20, async () => {
      await using ts = new TaskScope();
      ts.spawn(() => sleep(1_000));
      await sleep(1_000);
    });
    expect(result).toBeUndefined();
  });

  it('the group own cancel() still ends run() with undefined', async () => {
    const result = await TaskGroup.run(async (tg) => {
      tg.spawn(() => sleep(1_000));
      tg.cancel();
      await sleep(1_000);
      return 'never';
    });
    expect(result).toBeUndefined();
  });

  it('Supervisor, gatherSafe and race let an outer deadline through', async () => {
    expect(
      await moveOnAfter(20, async () => {
        await Supervisor.run((sv) => {
          sv.spawn(() => sleep(1_000));
        });
        return 'completed';
      }),
    ).toBeUndefined();
    expect(
      await moveOnAfter(20, async () => {
        await gatherSafe([() => sleep(1_000)]);
        return 'completed';
      }),
    ).toBeUndefined();
    expect(
      await moveOnAfter(20, async () => {
        await race([() => sleep(1_000), () => sleep(2_000)]);
        return 'completed';
      }),
    ).toBeUndefined();
  });
});

describe('no memory grows per root scope', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapAfterGc = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };

  it('100k root TaskGroups and Groups leave nothing behind', async () => {
    const rounds = async () => {
      for (let i = 0; i < 50_000; i++) await TaskGroup.run(async () => {});
      for (let i = 0; i < 50_000; i++) await new Group().asyncClose();
    };
    await rounds(); // warm-up: compiled code and caches do not count as growth
    const before = heapAfterGc();
    await rounds();
    const growth = heapAfterGc() - before;
    expect(formatTaskTree()).toBe('');
    // Before the fix this grew by about 24 MB (a WeakRef and its set entry per root).
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  });

  it('an open root is listed while open, and only then', async () => {
    const group = new Group({ name: 'listed' });
    expect(formatTaskTree()).toContain('group "listed" open');
    await group.asyncClose();
    expect(formatTaskTree()).toBe('');
  });
});

describe('an explicit signal adds to the ambient scope', () => {
  it('sleep with a signal inside moveOnAfter ends at the deadline', async () => {
    const { signal } = new AbortController();
    await moveOnAfter(10, () => sleep(300, { signal }));
    expect(clock.now()).toBe(10);
  });

  it('a fail-fast group whose child waits on a queue with its own timeout', async () => {
    const queue = new Queue<number>();
    await expect(
      TaskGroup.run(async (tg) => {
        tg.spawn(() => queue.get({ signal: AbortSignal.timeout(300) }));
        tg.spawn(async () => {
          await sleep(5);
          throw new Error('down');
        });
      }),
    ).rejects.toThrow(ExceptionGroup);
    expect(clock.now()).toBe(5);
  });

  it('the signal still cancels on its own, with its reason as it is', async () => {
    const controller = new AbortController();
    const reason = new Error('mine');
    setTimeout(() => controller.abort(reason), 5);
    await expect(
      TaskGroup.run(async () => sleep(300, { signal: controller.signal })),
    ).rejects.toMatchObject({ errors: [reason] });
  });

  it('a shield blocks the ambient part only', async () => {
    const controller = new AbortController();
    const done = await moveOnAfter(10, () =>
      shield(async () => {
        await sleep(50, { signal: controller.signal });
        return 'slept through the deadline';
      }),
    );
    // the deadline does not reach into the shield: the sleep ran its full time
    expect(done).toBe('slept through the deadline');
    expect(clock.now()).toBe(50);
  });
});

describe('work started after its scope exited does not inherit its cancellation', () => {
  it('a timer callback created in an expired moveOnAfter can still sleep', async () => {
    let later: Promise<string> | undefined;
    await moveOnAfter(10, async () => {
      later = new Promise<string>((resolve, reject) => {
        setTimeout(() => {
          sleep(5).then(() => resolve('slept'), reject);
        }, 20);
      });
      await sleep(100);
    });
    await expect(later).resolves.toBe('slept');
  });

  it('sees the nearest enclosing live scope, and never a dead one', async () => {
    const seen: unknown[] = [];
    await TaskGroup.run(async (tg) => {
      const outer = currentNode();
      await moveOnAfter(10, async () => {
        setTimeout(() => {
          seen.push(currentNode() === outer, currentSignal().aborted);
        }, 20);
        await sleep(100);
      });
      tg.spawn(() => sleep(30));
    });
    expect(seen).toEqual([true, false]);
  });

  it('outside every live scope there is none', async () => {
    let node: unknown = 'unset';
    const task = TaskGroup.run(async () => {
      setTimeout(() => {
        node = currentNode();
      }, 10);
    });
    await task;
    await sleep(20);
    expect(node).toBeUndefined();
  });
});

describe('one error is reported once', () => {
  it('a child error rethrown by the body appears once', async () => {
    const error = await TaskGroup.run(async (tg) => {
      const user = tg.spawn(async () => {
        await sleep(5);
        throw new Error('down');
      });
      const orders = tg.spawn(() => sleep(50));
      return [await user, await orders];
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toHaveLength(1);
    expect(((error as ExceptionGroup).errors[0] as Error).message).toBe('down');
  });

  it('distinct errors are all kept', async () => {
    const error = await TaskGroup.run(async (tg) => {
      tg.spawn(() => Promise.reject(new Error('a')));
      tg.spawn(() => Promise.reject(new Error('b')));
      throw new Error('body');
    }).catch((e: unknown) => e);
    expect((error as ExceptionGroup).errors.map((e) => (e as Error).message).sort()).toEqual([
      'a',
      'b',
      'body',
    ]);
    expect(new CancelledError()).toBeInstanceOf(Error);
  });
});
