import { cancelAndWait, moveOnAfter, shield } from '@aiotools/cancel';
import { CancelledError, ExceptionGroup, sleep, TimeoutError } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { captureWarnings } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskErrorContext } from './exception-handler.js';
import { Group } from './group.js';
import { Supervisor } from './supervisor.js';
import { TaskGroup } from './task-group.js';
import { TaskScope } from './task-scope.js';

let clock: VirtualClock;
let host: Group;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
  host = new Group({ exceptionHandler: null });
});
afterEach(async () => {
  await host.asyncClose();
  expect(clock.pending).toBe(0);
  clock[Symbol.dispose]();
});

/** Spawns `fn` as a parent task that tests can cancel. */
function parent<T>(fn: () => Promise<T>) {
  return host.spawn(fn, { name: 'parent' });
}

/** Cancels `task` at `at` ms on the virtual clock. */
function cancelAt(task: { cancel(): boolean }, at: number) {
  host.spawn(async () => {
    await sleep(at - clock.now());
    task.cancel();
  });
}

interface Counters {
  results: number[];
  errors: unknown[];
  cancelled: number;
}

function counters(): Counters {
  return { results: [], errors: [], cancelled: 0 };
}

function doJob(c: Counters, ms: number, value: number) {
  return async () => {
    try {
      await sleep(ms);
      c.results.push(value);
      return value;
    } catch (error) {
      if (error instanceof CancelledError) c.cancelled++;
      throw error;
    }
  };
}

function failJob(ms: number) {
  return async () => {
    await sleep(ms);
    throw new RangeError('zero division');
  };
}

/** Children finishing at 100, 200 and 300 ms; the body records 4 at 100 ms and 5 at 300 ms. */
function threeJobs(c: Counters) {
  return async (ts: TaskScope) => {
    ts.spawn(doJob(c, 100, 1));
    ts.spawn(doJob(c, 200, 2));
    ts.spawn(doJob(c, 300, 3));
    await sleep(100);
    c.results.push(4);
    await sleep(200);
    c.results.push(5);
  };
}

function collect(c: Counters) {
  return ({ error }: TaskErrorContext) => {
    c.errors.push(error);
  };
}

describe('TaskScope (aiotools test_taskscope)', () => {
  it('keeps running the body and the caller when a child fails', async () => {
    const trace: string[] = [];
    const c = counters();
    const p = parent(async () => {
      await TaskScope.run(
        async (ts) => {
          ts.spawn(failJob(200));
          await sleep(300);
          trace.push('context-final');
        },
        { exceptionHandler: collect(c) },
      );
      trace.push('parent-final');
    });
    await clock.runAll();
    await p;
    expect(trace).toEqual(['context-final', 'parent-final']);
    expect(c.errors).toEqual([new RangeError('zero division')]);
  });

  for (const shielded of [false, true]) {
    it(`lets the other children finish after a partial failure (shield=${shielded})`, async () => {
      const c = counters();
      const p = parent(() =>
        TaskScope.run(
          async (ts) => {
            ts.spawn(doJob(c, 100, 1));
            ts.spawn(failJob(200));
            ts.spawn(doJob(c, 300, 3));
            await sleep(100);
            c.results.push(4);
            await sleep(150);
            c.results.push(5);
          },
          { shield: shielded, exceptionHandler: collect(c) },
        ),
      );
      await clock.runAll();
      await p;
      expect(c.results).toEqual([4, 1, 5, 3]);
      expect(c.errors).toHaveLength(1);
      expect(c.cancelled).toBe(0);
    });

    it(`counts a self-cancelling child as cancelled, not as an error (shield=${shielded})`, async () => {
      const c = counters();
      const p = parent(() =>
        TaskScope.run(
          async (ts) => {
            ts.spawn(doJob(c, 100, 1));
            const self = ts.spawn(async () => {
              await sleep(200);
              throw new CancelledError();
            });
            ts.spawn(doJob(c, 300, 3));
            await sleep(100);
            c.results.push(4);
            await sleep(150);
            c.results.push(5);
            expect(self.cancelled()).toBe(true);
          },
          { shield: shielded, exceptionHandler: collect(c) },
        ),
      );
      await clock.runAll();
      await p;
      expect(c.results).toEqual([4, 1, 5, 3]);
      expect(c.errors).toEqual([]);
    });

    it(`enforces its own timeout (shield=${shielded})`, async () => {
      const c = counters();
      const p = parent(() => TaskScope.run(threeJobs(c), { shield: shielded, timeout: 250 }));
      await clock.runAll();
      await expect(p).rejects.toBeInstanceOf(TimeoutError);
      expect(c.results).toEqual([4, 1, 2]);
      expect(c.cancelled).toBe(1);
    });
  }

  it('is cut short by an outer timeout when not shielded', async () => {
    const c = counters();
    const { failAfter } = await import('@aiotools/cancel');
    const p = parent(() => failAfter(250, () => TaskScope.run(threeJobs(c))));
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(c.results).toEqual([4, 1, 2]);
    expect(c.cancelled).toBe(1);
  });

  it('finishes its work under an outer timeout when shielded, then times out', async () => {
    const c = counters();
    const { failAfter } = await import('@aiotools/cancel');
    const p = parent(() => failAfter(250, () => TaskScope.run(threeJobs(c), { shield: true })));
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(c.results).toEqual([4, 1, 2, 3, 5]);
    expect(c.cancelled).toBe(0);
  });

  it('keeps its own timeout when shielded from an outside cancellation', async () => {
    const c = counters();
    const p = parent(() => TaskScope.run(threeJobs(c), { shield: true, timeout: 250 }));
    const canceller = host.spawn(async () => {
      await sleep(50);
      await cancelAndWait(p);
    });
    await clock.runAll();
    await expect(canceller).rejects.toBeInstanceOf(TimeoutError);
    expect(p.exception()).toBeInstanceOf(TimeoutError);
    expect(c.results).toEqual([4, 1, 2]);
    expect(c.cancelled).toBe(1);
  });

  it('moves on after a timeout with moveOnAfter', async () => {
    const c = counters();
    const p = parent(() => moveOnAfter(250, () => TaskScope.run(threeJobs(c))));
    await clock.runAll();
    await p;
    expect(c.results).toEqual([4, 1, 2]);
    expect(c.cancelled).toBe(1);
  });

  it('is cancelled from outside: finished children stay finished, the others are cancelled', async () => {
    const trace: string[] = [];
    const c = counters();
    const p = parent(async () => {
      trace.push('parent-begin');
      await TaskScope.run(
        async (ts) => {
          trace.push('context-begin');
          ts.spawn(async () => {
            await sleep(80);
            trace.push('s1');
          });
          ts.spawn(doJob(c, 200, 2));
          ts.spawn(failJob(150));
          await sleep(1000);
          trace.push('context-end');
        },
        { exceptionHandler: collect(c) },
      );
      trace.push('parent-end');
    });
    cancelAt(p, 100);
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual(['parent-begin', 'context-begin', 's1']);
    expect(c.cancelled).toBe(1);
    expect(c.errors).toEqual([]);
  });

  it('aclose() cancels the children and the body and waits for the cleanup', async () => {
    const trace: string[] = [];
    let scope!: TaskScope;
    const p = parent(async () => {
      trace.push('parent-begin');
      await TaskScope.run(async (ts) => {
        scope = ts;
        trace.push('context-begin');
        ts.spawn(async () => {
          await sleep(80);
          trace.push('s1');
        });
        ts.spawn(async () => {
          try {
            await sleep(1000);
          } catch (error) {
            await shield(() => sleep(700));
            trace.push('cancelled-s2');
            throw error;
          }
        });
        await sleep(1000);
        trace.push('context-end');
      });
      trace.push('parent-end');
    });
    host.spawn(async () => {
      await sleep(100);
      trace.push('aclose-trigger');
      await scope.aclose();
      trace.push('aclose-done');
    });
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual([
      'parent-begin',
      'context-begin',
      's1',
      'aclose-trigger',
      'cancelled-s2',
      'aclose-done',
    ]);
    expect(clock.now()).toBe(800);
  });

  it('runs all the steps of a shield inside a shield, then raises at the outer exit (nested 1)', async () => {
    const trace: string[] = [];
    const p = parent(async () => {
      await TaskScope.run(
        async () => {
          await sleep(100);
          trace.push('outer-step1');
          await TaskScope.run(
            async () => {
              await sleep(200);
              trace.push('inner-step');
            },
            { shield: true },
          );
          await sleep(100);
          trace.push('outer-step2');
        },
        { shield: true },
      );
      trace.push('after');
    });
    cancelAt(p, 250);
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual(['outer-step1', 'inner-step', 'outer-step2']);
  });

  it('protects an unshielded scope inside a shielded one (nested 2)', async () => {
    const trace: string[] = [];
    const p = parent(async () => {
      await TaskScope.run(
        async () => {
          await TaskScope.run(async () => {
            await sleep(300);
            trace.push('inner-end');
          });
          trace.push('outer-end');
        },
        { shield: true },
      );
      trace.push('after');
    });
    cancelAt(p, 100);
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual(['inner-end', 'outer-end']);
  });

  it('raises at the exit of a shielded scope inside a cancelled one (nested 3)', async () => {
    const trace: string[] = [];
    const p = parent(async () => {
      await TaskScope.run(async () => {
        await TaskScope.run(
          async () => {
            await sleep(300);
            trace.push('inner-end');
          },
          { shield: true },
        );
        trace.push('outer-scope-end');
      });
    });
    cancelAt(p, 100);
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace).toEqual(['inner-end']);
  });

  for (const mix of [false, true]) {
    it(`nests five levels with shields at 2 and 5${mix ? ', mixed with fail-fast groups at 1, 3 and 4' : ''} (nested 4)`, async () => {
      const trace: string[] = [];
      const results = new Set<string>();
      const shields = [false, false, true, false, false, true];
      const groupAt = mix ? new Set([1, 3, 4]) : new Set<number>();
      const level = async (k: number): Promise<void> => {
        const body = async (scope: { spawn(fn: () => Promise<void>): unknown }) => {
          scope.spawn(async () => {
            await sleep((16 - k) * 1000);
            results.add(`L${k}`);
          });
          if (k < 5) await level(k + 1);
          else await sleep(500);
          trace.push(`level${k}-end`);
        };
        if (groupAt.has(k)) await TaskGroup.run(body);
        else await TaskScope.run(body, { shield: shields[k] });
      };
      const p = parent(async () => {
        await level(1);
        trace.push('level0-end');
      });
      cancelAt(p, 250);
      await clock.runAll();
      await expect(p).rejects.toBeInstanceOf(CancelledError);
      expect(trace).toEqual(['level5-end', 'level4-end', 'level3-end', 'level2-end']);
      expect([...results].sort()).toEqual(['L2', 'L3', 'L4', 'L5']);
    });
  }

  it('nests through subtasks with shields at 2 and 5 (nested 5)', async () => {
    const trace: string[] = [];
    const results = new Set<string>();
    const shields = [false, false, true, false, false, true];
    const level = async (k: number): Promise<void> => {
      await TaskScope.run(
        async (ts) => {
          trace.push(`level${k}-begin`);
          ts.spawn(async () => {
            await sleep(1000);
            results.add(`L${k}`);
          });
          if (k < 5) ts.spawn(() => level(k + 1));
        },
        { shield: shields[k], exceptionHandler: null },
      );
      trace.push(`level${k}-end`);
    };
    const p = parent(() => level(0));
    cancelAt(p, 550);
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(trace.filter((t) => t.endsWith('begin'))).toHaveLength(6);
    expect(trace.filter((t) => t.endsWith('end'))).toEqual([
      'level5-end',
      'level4-end',
      'level3-end',
    ]);
    expect([...results].sort()).toEqual(['L2', 'L3', 'L4', 'L5']);
  });
});

describe('TaskScope (aiotools test_cancel, task cases)', () => {
  it('cancelAndWait on a parent cancels a scope whose child already failed', async () => {
    const c = counters();
    const p = parent(() =>
      TaskScope.run(
        async (ts) => {
          ts.spawn(failJob(100));
          ts.spawn(doJob(c, 1000, 1));
        },
        { exceptionHandler: collect(c) },
      ),
    );
    host.spawn(async () => {
      await sleep(150);
      await cancelAndWait(p);
    });
    await clock.runAll();
    expect(p.cancelled()).toBe(true);
    expect(c.cancelled).toBe(1);
    expect(c.errors).toHaveLength(1);
  });

  for (const failInCleanup of [false, true]) {
    it(`waits for a long cleanup of a sibling${failInCleanup ? ' that fails' : ''} and reports each error once`, async () => {
      const c = counters();
      const p = parent(() =>
        TaskScope.run(
          async (ts) => {
            ts.spawn(failJob(100));
            ts.spawn(async () => {
              try {
                await sleep(1000);
              } catch (error) {
                await shield(() => sleep(500));
                if (failInCleanup) throw new TypeError('cleanup');
                throw error;
              }
            });
          },
          { exceptionHandler: collect(c) },
        ),
      );
      const canceller = host.spawn(async () => {
        await sleep(150);
        await cancelAndWait(p);
        return clock.now();
      });
      await clock.runAll();
      expect(await canceller).toBe(650);
      expect(p.cancelled()).toBe(true);
      expect(c.errors).toEqual(
        failInCleanup
          ? [new RangeError('zero division'), new TypeError('cleanup')]
          : [new RangeError('zero division')],
      );
    });
  }

  it('lets the children of a shielded scope finish when the parent is cancelled (shielded_taskscope)', async () => {
    const c = counters();
    const p = parent(() =>
      TaskScope.run(
        (ts) => {
          ts.spawn(doJob(c, 100, 1));
          ts.spawn(failJob(200));
          ts.spawn(doJob(c, 300, 3));
        },
        { shield: true, exceptionHandler: collect(c) },
      ),
    );
    cancelAt(p, 250);
    await clock.runAll();
    expect(c.results).toEqual([1, 3]);
    expect(c.errors).toHaveLength(1);
    expect(c.cancelled).toBe(0);
    expect(p.cancelled()).toBe(true);
  });
});

describe('TaskScope API', () => {
  it('reports child failures as a process warning by default', async () => {
    const warnings = await captureWarnings(() =>
      TaskScope.run((ts) => {
        ts.spawn(
          () => {
            throw new RangeError('lost');
          },
          { name: 'doomed' },
        );
      }),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.name).toBe('TaskError');
    expect(warnings[0]!.message).toMatch(/Task "doomed" failed in TaskScope/);
  });

  it('passes message, error and task to the exception handler, and survives a throwing handler', async () => {
    const seen: TaskErrorContext[] = [];
    await TaskScope.run(
      (ts) => {
        ts.spawn(() => Promise.reject(new Error('x')), { name: 'a' });
      },
      { exceptionHandler: (ctx) => seen.push(ctx) },
    );
    expect(seen[0]!.task.name).toBe('a');
    expect(seen[0]!.error).toEqual(new Error('x'));
    const warnings = await captureWarnings(() =>
      Supervisor.run(
        (sv) => {
          sv.spawn(() => Promise.reject(new Error('y')));
        },
        {
          exceptionHandler: () => {
            throw new Error('handler bug');
          },
        },
      ),
    );
    expect(warnings[0]!.message).toMatch(/exception handler failed/);
  });

  it('a Supervisor drops failures silently and keeps nothing of settled children', async () => {
    const warnings: unknown[] = [];
    const onWarning = (w: unknown) => warnings.push(w);
    process.on('warning', onWarning);
    const sizes: number[] = [];
    clock[Symbol.dispose]();
    clock = installVirtualClock({ autojump: false, loopLimit: 5000 }); // runAll gives up after 5000 timers; about 2000 fire
    try {
      const p = parent(() =>
        Supervisor.run(async (sv) => {
          for (let i = 0; i < 1000; i++) {
            sv.spawn(async () => {
              await sleep(10_000);
              if (i % 2) throw new Error('odd');
            });
            await sleep(1000);
            if (i === 100) sizes.push(sv.size);
          }
        }),
      );
      await clock.runAll();
      await p;
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(sizes).toEqual([9]);
    expect(warnings).toEqual([]);
  });

  it('rethrows a body error after cancelling and awaiting the children', async () => {
    const c = counters();
    const p = parent(() =>
      TaskScope.run(async (ts) => {
        ts.spawn(doJob(c, 300, 1));
        await sleep(100);
        throw new TypeError('body');
      }),
    );
    await clock.runAll();
    await expect(p).rejects.toThrow('body');
    expect(c.cancelled).toBe(1);
  });

  it('abort() cancels the children without waiting and refuses new ones', async () => {
    const c = counters();
    const p = parent(() =>
      TaskScope.run(async (ts) => {
        ts.spawn(doJob(c, 300, 1));
        await sleep(100);
        ts.abort();
        expect(ts.size).toBe(1);
        expect(() => ts.spawn(() => 1)).toThrow(/shutting down/);
        await sleep(100);
        expect(ts.size).toBe(0);
        return 'body finished';
      }),
    );
    await clock.runAll();
    expect(await p).toBe('body finished');
    expect(c.cancelled).toBe(1);
  });

  it('supports explicit disposal: waits for the children, refuses spawns afterwards', async () => {
    const c = counters();
    const p = parent(async () => {
      const ts = new TaskScope();
      try {
        ts.spawn(doJob(c, 100, 1));
        ts.spawn(doJob(c, 200, 2));
      } finally {
        await ts[Symbol.asyncDispose]();
      }
      expect(() => ts.spawn(() => 1)).toThrow(/has exited/);
      return clock.now();
    });
    await clock.runAll();
    expect(await p).toBe(200);
    expect(c.results).toEqual([1, 2]);
  });

  it('a disposed scope with an expired timeout throws TimeoutError', async () => {
    const p = parent(async () => {
      const ts = new TaskScope({ timeout: 50 });
      ts.spawn(() => sleep(100));
      await ts[Symbol.asyncDispose]();
    });
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
  });

  it('reports an async exception handler that rejects as a warning, not an unhandled rejection', async () => {
    const warnings = await captureWarnings(() =>
      TaskScope.run(
        (ts) => {
          ts.spawn(() => Promise.reject(new Error('y')));
        },
        {
          exceptionHandler: async () => {
            throw new Error('async handler bug');
          },
        },
      ),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/exception handler failed/);
  });

  it('aclose() on a scope with a timeout leaves no timer behind', async () => {
    const ts = new TaskScope({ timeout: 1000 });
    ts.spawn(() => sleep(50));
    await ts.aclose();
    expect(clock.pending).toBe(0);
    expect(ts.size).toBe(0);
  });

  it('validates its options', () => {
    expect(() => new TaskScope({ timeout: -1 })).toThrow(RangeError);
    expect(() => new TaskScope({ shield: 'yes' as never })).toThrow(TypeError);
    expect(() => new TaskScope({ exceptionHandler: 3 as never })).toThrow(/exceptionHandler/);
  });

  it('a fail-fast group inside a scope still aggregates its errors', async () => {
    const p = parent(() =>
      TaskScope.run(() =>
        TaskGroup.run((tg) => {
          tg.spawn(failJob(10));
        }),
      ),
    );
    await clock.runAll();
    await expect(p).rejects.toBeInstanceOf(ExceptionGroup);
  });
});
