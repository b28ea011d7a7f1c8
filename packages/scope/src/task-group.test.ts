import { CancelScope, cancelAndWait, moveOnAfter, shield } from '@aiotools/cancel';
import {
  CancelledError,
  checkpoint,
  currentSignal,
  ExceptionGroup,
  sleep,
  TimeoutError,
} from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drive as driveWith } from '../test-fixtures/drive.js';
import { currentTask } from './current-task.js';
import { TaskGroup } from './task-group.js';

let clock: VirtualClock;
const drive = <T>(promise: Promise<T>) => driveWith(clock, promise);
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => {
  expect(clock.pending).toBe(0);
  clock[Symbol.dispose]();
});

describe('TaskGroup', () => {
  it('joins delayed children and returns the body value', async () => {
    const results = await drive(
      TaskGroup.run(async (tg) => {
        const a = tg.spawn(async () => {
          await sleep(30);
          return 'a';
        });
        const b = tg.spawn(async () => {
          await sleep(20);
          return 'b';
        });
        const c = tg.spawn(() => 'c');
        return [a, b, c];
      }),
    );
    expect(results!.map((t) => t.result())).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(30);
  });

  it('returns from spawn before the body runs, and a synchronous throw is a task failure', async () => {
    const order: string[] = [];
    const error = await TaskGroup.run((tg) => {
      tg.spawn(() => {
        order.push('body');
        throw new RangeError('sync');
      });
      order.push('after spawn');
    }).catch((e: unknown) => e);
    expect(order).toEqual(['after spawn', 'body']);
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toEqual([new RangeError('sync')]);
  });

  it('names groups and tasks', async () => {
    await TaskGroup.run(
      (tg) => {
        expect(tg.name).toBe('outer');
        const t = tg.spawn(() => currentTask()?.name, { name: 'worker' });
        expect(t.name).toBe('worker');
        expect(tg.spawn(() => 1).name).toMatch(/^Task-\d+$/);
      },
      { name: 'outer' },
    );
    await TaskGroup.run((tg) => expect(tg.name).toMatch(/^TaskGroup-\d+$/));
  });

  it('cancels the siblings and the body at the first failure and reports every error once', async () => {
    const trace: string[] = [];
    const error = await drive(
      TaskGroup.run(async (tg) => {
        const t1 = tg.spawn(async () => {
          await sleep(10);
          return 99;
        });
        const t2 = tg.spawn(async () => {
          await sleep(20);
          throw new RangeError('boom');
        });
        const t3 = tg.spawn(async () => {
          try {
            await sleep(100);
          } catch (e) {
            trace.push('t3 cancelled');
            throw e;
          }
        });
        try {
          await sleep(1000);
        } catch (e) {
          trace.push('body cancelled');
          throw e;
        } finally {
          expect(t1.result()).toBe(99);
          trace.push(`t3 done ${t3.done}`);
        }
        void t2;
      }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toEqual([new RangeError('boom')]);
    expect(trace.sort()).toEqual(['body cancelled', 't3 cancelled', 't3 done false'].sort());
    expect(clock.now()).toBe(20);
  });

  it('includes the body error with the children errors', async () => {
    const error = await drive(
      TaskGroup.run(async (tg) => {
        tg.spawn(async () => {
          try {
            await sleep(100);
          } catch {
            throw new TypeError('cleanup failed');
          }
        });
        await sleep(10);
        throw new RangeError('body');
      }).catch((e: unknown) => e),
    );
    expect((error as ExceptionGroup).errors).toEqual([
      new RangeError('body'),
      new TypeError('cleanup failed'),
    ]);
  });

  it('does not treat a self-cancelling child as a failure', async () => {
    const out = await drive(
      TaskGroup.run(async (tg) => {
        const t1 = tg.spawn(async () => {
          await sleep(10);
          throw new CancelledError();
        });
        const t2 = tg.spawn(async () => {
          await sleep(20);
          return 'b';
        });
        await sleep(5);
        return [t1, t2];
      }),
    );
    expect(out![0]!.cancelled()).toBe(true);
    expect(out![1]!.result()).toBe('b');
  });

  it('task.cancel() cancels only that task, which ends cancelled', async () => {
    const out = await drive(
      TaskGroup.run(async (tg) => {
        const t1 = tg.spawn(() => sleep(100));
        const t2 = tg.spawn(async () => {
          await sleep(20);
          return 2;
        });
        await sleep(10);
        expect(t1.cancel()).toBe(true);
        await expect(t1).rejects.toBeInstanceOf(CancelledError);
        expect(t1.cancelled()).toBe(true);
        expect(t1.cancel()).toBe(false);
        expect(t1.exception()).toBeInstanceOf(CancelledError);
        return [t2];
      }),
    );
    expect(out![0]!.result()).toBe(2);
  });

  it('a body raising its own cancellation cancels the children and is swallowed', async () => {
    const out: unknown[] = [];
    const value = await drive(
      TaskGroup.run(async (tg) => {
        const t1 = tg.spawn(async () => {
          await sleep(10);
          return 'a';
        });
        const t2 = tg.spawn(() => sleep(100));
        out.push(t1, t2);
        await sleep(20);
        tg.cancel();
        await checkpoint();
        return 'never';
      }),
    );
    expect(value).toBeUndefined();
    expect((out[0] as { result(): unknown }).result()).toBe('a');
    expect((out[1] as { cancelled(): boolean }).cancelled()).toBe(true);
  });

  it('lets an outer cancellation through, and the child errors caught meanwhile too (anyio #787)', async () => {
    const scope = new CancelScope();
    const error = await drive(
      scope
        .run(() =>
          TaskGroup.run(async (tg) => {
            tg.spawn(async () => {
              try {
                await sleep(100);
              } catch {
                throw new RangeError('failed while cancelled');
              }
            });
            await sleep(10);
            scope.cancel();
            await sleep(10);
          }),
        )
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toEqual([new RangeError('failed while cancelled')]);
  });

  it('filters the cancellations out when an outer scope cancels the group', async () => {
    const result = await drive(
      moveOnAfter(15, () =>
        TaskGroup.run(async (tg) => {
          tg.spawn(() => sleep(100));
          tg.spawn(() => sleep(100));
          await sleep(100);
        }),
      ),
    );
    expect(result).toBeUndefined();
    expect(clock.now()).toBe(15);
  });

  it('children inherit the group scope, not the spawner scope', async () => {
    const out = await drive(
      TaskGroup.run(async (tg) => {
        let child!: ReturnType<typeof tg.spawn<string>>;
        await moveOnAfter(5, async () => {
          child = tg.spawn(async () => {
            await sleep(20);
            return 'survived';
          });
          await sleep(10);
        });
        return [child];
      }),
    );
    expect(out![0]!.result()).toBe('survived');
  });

  it('starts a child spawned into a cancelled but open group, and refuses spawns after exit', async () => {
    const trace: string[] = [];
    let group!: TaskGroup;
    await TaskGroup.run(async (tg) => {
      group = tg;
      tg.cancel();
      tg.spawn(async () => {
        trace.push('started');
        await checkpoint();
        trace.push('not reached');
      });
    });
    expect(trace).toEqual(['started']);
    expect(() => group.spawn(() => 1)).toThrow(/has exited/);
    expect(group.state).toBe('closed');
  });

  it('gives each task its own signal and passes it to bodies that declare a parameter', async () => {
    await TaskGroup.run(async (tg) => {
      const t = tg.spawn((signal) => {
        expect(signal).toBe(currentSignal());
        return signal;
      });
      expect(await t).toBe(t.signal);
      expect(tg.signal.aborted).toBe(false);
    });
  });

  it('never leaves an unhandled rejection for failed tasks nobody awaits', async () => {
    const error = await TaskGroup.run((tg) => {
      for (let i = 0; i < 5; i++) tg.spawn(() => Promise.reject(new Error(`e${i}`)));
    }).catch((e: unknown) => e);
    expect((error as ExceptionGroup).errors).toHaveLength(5);
  });

  it('disposing a task cancels it and waits', async () => {
    await drive(
      TaskGroup.run(async (tg) => {
        const trace: string[] = [];
        const t = tg.spawn(async () => {
          try {
            await sleep(100);
          } finally {
            await shield(() => sleep(5));
            trace.push('cleaned');
          }
        });
        await sleep(1);
        await t[Symbol.asyncDispose]();
        expect(trace).toEqual(['cleaned']);
        expect(t.cancelled()).toBe(true);
      }),
    );
  });

  it('validates its arguments', async () => {
    await expect(TaskGroup.run(42 as never)).rejects.toThrow(TypeError);
    await expect(TaskGroup.run(() => 1, { name: 3 as never })).rejects.toThrow(/options.name/);
    await TaskGroup.run((tg) => {
      expect(() => tg.spawn('x' as never)).toThrow(/`fn`/);
    });
  });

  it('works with cancelAndWait from @aiotools/cancel', async () => {
    await drive(
      TaskGroup.run(async (tg) => {
        const t = tg.spawn(() => sleep(100));
        await sleep(1);
        await cancelAndWait(t);
        expect(t.cancelled()).toBe(true);
      }),
    );
  });

  it('reports a timeout of a child as a failure, not a cancellation', async () => {
    const { failAfter } = await import('@aiotools/cancel');
    const error = await drive(
      TaskGroup.run((tg) => {
        tg.spawn(() => failAfter(5, () => sleep(10)));
      }).catch((e: unknown) => e),
    );
    expect((error as ExceptionGroup).errors[0]).toBeInstanceOf(TimeoutError);
  });
});

describe('TaskGroup.start', () => {
  it('returns the started value and keeps the child in the group', async () => {
    const trace: string[] = [];
    await drive(
      TaskGroup.run(async (tg) => {
        const port = await tg.start<number>(async (_signal, started) => {
          await sleep(5);
          started(8080);
          await sleep(10);
          trace.push('served');
        });
        trace.push(`port ${port}`);
      }),
    );
    expect(trace).toEqual(['port 8080', 'served']);
  });

  it('throws an error raised before started() to the caller, not to the group', async () => {
    const out = await drive(
      TaskGroup.run(async (tg) => {
        const sibling = tg.spawn(async () => {
          await sleep(20);
          return 'ok';
        });
        await expect(
          tg.start(async () => {
            await sleep(5);
            throw new RangeError('init failed');
          }),
        ).rejects.toThrow('init failed');
        return [sibling];
      }),
    );
    expect(out![0]!.result()).toBe('ok');
  });

  it('rejects when the child returns without started() or calls it twice', async () => {
    await TaskGroup.run(async (tg) => {
      await expect(tg.start(async () => undefined)).rejects.toThrow(/without calling started/);
    });
    const error = await TaskGroup.run(async (tg) => {
      await tg.start(async (_s, started) => {
        started();
        started();
      });
    }).catch((e: unknown) => e);
    expect((error as ExceptionGroup).errors[0]).toEqual(
      new Error('started() was called twice for the same task'),
    );
  });

  it('cancels and awaits the child when the caller is cancelled before started()', async () => {
    const trace: string[] = [];
    await drive(
      TaskGroup.run(async (tg) => {
        const result = await moveOnAfter(5, () =>
          tg.start(async () => {
            try {
              await sleep(100);
            } finally {
              trace.push('child cleanup');
            }
          }),
        );
        trace.push(`start gave ${String(result)}`);
      }),
    );
    expect(trace).toEqual(['child cleanup', 'start gave undefined']);
    expect(clock.now()).toBe(5);
  });

  it('a child that fails while cleaning up after the caller was cancelled before started() reports its error to the caller', async () => {
    const outcome = drive(
      TaskGroup.run(async (tg) => {
        await moveOnAfter(5, () =>
          tg.start(async () => {
            try {
              await sleep(100);
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: the cleanup fails on purpose
              throw new RangeError('cleanup failed');
            }
          }),
        );
      }),
    );
    const error = await outcome.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExceptionGroup);
    expect((error as ExceptionGroup).errors).toEqual([new RangeError('cleanup failed')]);
  });

  it('after started(), the caller scope no longer applies to the child', async () => {
    const trace: string[] = [];
    await drive(
      TaskGroup.run(async (tg) => {
        await moveOnAfter(5, async () => {
          await tg.start(async (_s, started) => {
            started();
            await sleep(20);
            trace.push('child finished');
          });
          await sleep(100);
        });
      }),
    );
    expect(trace).toEqual(['child finished']);
  });
});
