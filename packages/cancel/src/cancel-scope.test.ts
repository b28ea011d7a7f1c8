import { setTimeout as timersDelay } from 'node:timers/promises';
import {
  CancelledError,
  CancelNode,
  checkpoint,
  currentNode,
  currentSignal,
  ExceptionGroup,
  sleep,
} from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { rejection } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { shield } from './shield.js';

// Node's own `timers/promises` delay, taken before any test installs the virtual clock (which
// replaces the module's exports), so that the AbortError tests get the error Node rejects with.
const nodeDelay = timersDelay;

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

/** A fetch-like wait: rejects with `signal.reason` itself, as fetch does. */
function fetchLike(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

describe('CancelScope basics', () => {
  it('returns the value of the body when nothing is cancelled', async () => {
    const scope = new CancelScope();
    await expect(scope.run(async () => 42)).resolves.toBe(42);
    expect(scope.cancelCalled).toBe(false);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('accepts a synchronous body and passes itself to it', async () => {
    const scope = new CancelScope();
    await expect(scope.run((s) => s === scope)).resolves.toBe(true);
  });

  it('turns a synchronous throw of the body into a rejection', async () => {
    const boom = new Error('boom');
    const p = new CancelScope().run(() => {
      throw boom;
    });
    await expect(p).rejects.toBe(boom);
  });

  it('swallows its own cancellation and resolves to undefined', async () => {
    const scope = new CancelScope();
    const p = scope.run(async () => {
      await sleep(1000);
      return 'never';
    });
    await clock.advance(10);
    scope.cancel();
    await expect(p).resolves.toBeUndefined();
    expect(scope.cancelCalled).toBe(true);
    expect(scope.cancelledCaught).toBe(true);
    expect(scope.reason).toBeInstanceOf(CancelledError);
    expect(clock.pending).toBe(0);
  });

  it('makes its node the ambient scope of the body, as a child of the caller', async () => {
    const outer = new CancelNode(undefined);
    const seen: (CancelNode | undefined)[] = [];
    await outer.run(() =>
      new CancelScope().run(() => {
        seen.push(currentNode()?.parent, currentNode());
      }),
    );
    expect(seen[0]).toBe(outer);
    expect(seen[1]?.kind).toBe('cancel-scope');
    expect([...outer.children()]).toEqual([]);
  });

  it('is single-use: a second run rejects with a clear error', async () => {
    const scope = new CancelScope({ name: 'once' });
    await scope.run(() => 1);
    await expect(scope.run(() => 2)).rejects.toThrow(/already been run.*single-use/);
  });

  it('rejects a second run while the first is still running', async () => {
    const scope = new CancelScope();
    const first = scope.run(() => sleep(10));
    await expect(scope.run(() => 2)).rejects.toThrow(/single-use/);
    await clock.advance(10);
    await first;
  });

  it('is not a checkpoint: cancel() lets the body run on until its next wait', async () => {
    const trace: string[] = [];
    const scope = new CancelScope();
    await scope.run(async () => {
      scope.cancel();
      trace.push('after cancel');
      await checkpoint();
      trace.push('unreachable');
    });
    expect(trace).toEqual(['after cancel']);
    expect(scope.cancelledCaught).toBe(true);
  });

  it('ignores a second cancel and keeps the first reason', async () => {
    const scope = new CancelScope();
    const error = await rejection(
      new CancelScope().run(() =>
        scope.run(async () => {
          scope.cancel('first');
          scope.cancel('second');
          try {
            await sleep(1);
          } catch (e) {
            throw new Error('wrapped', { cause: e });
          }
        }),
      ),
    );
    expect(((error as Error).cause as Error).message).toBe('first');
    expect((scope.reason as Error).message).toBe('first');
  });

  it('does not catch when cancelled but the body finishes without a checkpoint', async () => {
    const scope = new CancelScope();
    await expect(
      scope.run(() => {
        scope.cancel();
        return 'finished';
      }),
    ).resolves.toBe('finished');
    expect(scope.cancelCalled).toBe(true);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('accepts cancel() after it exited, harmlessly', async () => {
    const scope = new CancelScope();
    await scope.run(() => 1);
    scope.cancel();
    expect(scope.cancelCalled).toBe(true);
    expect(scope.cancelledCaught).toBe(false);
  });
});

describe('CancelScope created and cancelled before it runs', () => {
  it('runs the body to its first checkpoint, then cancels it and catches', async () => {
    const trace: string[] = [];
    const scope = new CancelScope();
    scope.cancel('early');
    expect(scope.cancelCalled).toBe(true);
    const value = await scope.run(async () => {
      trace.push('started');
      await sleep(1);
      trace.push('unreachable');
    });
    expect(value).toBeUndefined();
    expect(trace).toEqual(['started']);
    expect(scope.cancelledCaught).toBe(true);
    expect((scope.reason as Error).message).toBe('early');
  });

  it('keeps a custom reason given before the start', async () => {
    const reason = { why: 'custom' };
    const scope = new CancelScope();
    scope.cancel(reason);
    let seen: unknown;
    await scope.run(async () => {
      seen = await rejection(sleep(1));
      throw seen;
    });
    expect(seen).toBe(reason);
    expect(scope.cancelledCaught).toBe(true);
  });
});

describe('CancelScope reasons and signals', () => {
  it('rejects waits with a custom reason as it is and still catches it', async () => {
    const reason = { code: 42 };
    const scope = new CancelScope();
    let seen: unknown;
    const p = scope.run(async () => {
      try {
        await sleep(100);
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    scope.cancel(reason);
    await expect(p).resolves.toBeUndefined();
    expect(seen).toBe(reason);
    expect(scope.cancelledCaught).toBe(true);
  });

  it('aborts its signal with the reason', async () => {
    const scope = new CancelScope();
    let signal: AbortSignal | undefined;
    const p = scope.run(async (s) => {
      signal = s.signal;
      expect(currentSignal()).toBe(s.signal);
      await sleep(100);
    });
    expect(signal?.aborted).toBe(false);
    scope.cancel('stop');
    expect(signal?.aborted).toBe(true);
    expect((signal!.reason as Error).message).toBe('stop');
    await p;
  });

  it('explains that its signal exists only once it runs', () => {
    expect(() => new CancelScope().signal).toThrow(/once run\(\) has started/);
  });

  it('swallows a fetch-style rejection with the reason itself', async () => {
    const scope = new CancelScope();
    const p = scope.run((s) => fetchLike(s.signal));
    scope.cancel();
    await expect(p).resolves.toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it("swallows Node's AbortError whose cause is its reason", async () => {
    const scope = new CancelScope();
    let seen: unknown;
    const p = scope.run(async (s) => {
      try {
        await nodeDelay(10_000, undefined, { signal: s.signal });
      } catch (error) {
        seen = error;
        throw error;
      }
    });
    scope.cancel();
    await expect(p).resolves.toBeUndefined();
    expect((seen as Error).name).toBe('AbortError');
    expect((seen as Error).cause).toBe(scope.reason);
    expect(scope.cancelledCaught).toBe(true);
  });

  it('lets a foreign AbortError pass through, even while cancelled', async () => {
    const foreign = new DOMException('someone else aborted', 'AbortError');
    const scope = new CancelScope();
    const p = scope.run(async () => {
      scope.cancel();
      throw foreign;
    });
    await expect(p).rejects.toBe(foreign);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('lets an AbortError caused by another signal pass through', async () => {
    const other = new AbortController();
    other.abort(new CancelledError('not ours'));
    const scope = new CancelScope();
    const p = scope.run(async () => {
      scope.cancel();
      await nodeDelay(10, undefined, { signal: other.signal });
    });
    const error = await rejection(p);
    expect((error as Error).name).toBe('AbortError');
    expect(scope.cancelledCaught).toBe(false);
  });
});

describe('the catch rule (trio and anyio)', () => {
  it('outer cancelled, inner not: the cancellation passes the inner scope and the outer catches', async () => {
    const outer = new CancelScope();
    const inner = new CancelScope();
    await outer.run(() =>
      inner.run(async () => {
        outer.cancel();
        await sleep(1);
      }),
    );
    expect(outer.cancelledCaught).toBe(true);
    expect(inner.cancelCalled).toBe(false);
    expect(inner.cancelledCaught).toBe(false);
  });

  it('both cancelled without shield: the outermost catches, even if the inner was first', async () => {
    const outer = new CancelScope();
    const inner = new CancelScope();
    let seen: unknown;
    await outer.run(() =>
      inner.run(async () => {
        inner.cancel('inner');
        outer.cancel('outer');
        seen = await rejection(sleep(1));
        throw seen;
      }),
    );
    expect((seen as Error).message).toBe('outer');
    expect(inner.cancelledCaught).toBe(false);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('an inner cancellation overtaken by an outer one leaves the inner scope as the outer cancellation', async () => {
    const outer = new CancelScope();
    const inner = new CancelScope();
    let leaving: unknown;
    await outer.run(async () => {
      try {
        await inner.run(async () => {
          inner.cancel('inner');
          try {
            await sleep(1);
          } finally {
            outer.cancel('outer');
          }
        });
      } catch (error) {
        leaving = error;
        throw error;
      }
    });
    expect((leaving as Error).message).toBe('outer');
    expect(inner.cancelledCaught).toBe(false);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('inner shielded and cancelled, outer cancelled later: the inner catches and the outer hits at the next checkpoint', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    const inner = new CancelScope({ shield: true });
    await outer.run(async () => {
      await inner.run(async () => {
        inner.cancel();
        outer.cancel();
        await sleep(1);
      });
      trace.push('after inner');
      await sleep(1);
      trace.push('unreachable');
    });
    expect(trace).toEqual(['after inner']);
    expect(inner.cancelledCaught).toBe(true);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('uncancelled scopes never catch: a manual CancelledError passes through (asyncbis M2)', async () => {
    const manual = new CancelledError('manual');
    const scope = new CancelScope();
    await expect(
      scope.run(() => {
        throw manual;
      }),
    ).rejects.toBe(manual);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('an uncancelled scope whose shield is toggled does not catch the outer cancellation (trio #1175)', async () => {
    const outer = new CancelScope();
    const inner = new CancelScope({ shield: true });
    await outer.run(() =>
      inner.run(async () => {
        outer.cancel();
        await checkpoint();
        inner.shield = false;
        inner.shield = true;
        inner.shield = false;
        await checkpoint();
      }),
    );
    expect(inner.cancelledCaught).toBe(false);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('an error raised during the cancellation cleanup replaces the cancellation', async () => {
    const cleanup = new RangeError('cleanup failed');
    const scope = new CancelScope();
    const p = scope.run(async () => {
      try {
        await sleep(100);
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the case under test
        throw cleanup;
      }
    });
    scope.cancel();
    await expect(p).rejects.toBe(cleanup);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('is level-triggered: every checkpoint in a cancelled scope throws again (3 of 3)', async () => {
    const scope = new CancelScope();
    let thrown = 0;
    await scope.run(async () => {
      scope.cancel();
      for (let i = 0; i < 3; i++) {
        try {
          await checkpoint();
        } catch {
          thrown++;
        }
      }
    });
    expect(thrown).toBe(3);
    expect(scope.cancelledCaught).toBe(false);
  });

  it('triple nested shields with checkpoints in the middle: the outer cancellation waits for the outermost shield to end', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    const p = outer.run(async () => {
      await shield(async () => {
        outer.cancel();
        await checkpoint();
        trace.push('shield 1');
        await shield(async () => {
          await checkpoint();
          trace.push('shield 2');
          await shield(async () => {
            await sleep(5);
            trace.push('shield 3');
          });
          await checkpoint();
          trace.push('after shield 3');
        });
        await new CancelScope().run(() => checkpoint());
        trace.push('unshielded scope inside shield 1');
      });
      trace.push('after shield 1');
      await checkpoint();
      trace.push('unreachable');
    });
    await clock.runAll();
    await p;
    expect(trace).toEqual([
      'shield 1',
      'shield 2',
      'shield 3',
      'after shield 3',
      'unshielded scope inside shield 1',
      'after shield 1',
    ]);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('catches an ExceptionGroup made only of its own cancellations', async () => {
    const scope = new CancelScope();
    const p = scope.run(async () => {
      const results = await Promise.allSettled([sleep(10), sleep(20)]);
      throw new ExceptionGroup(results.map((r) => (r as PromiseRejectedResult).reason));
    });
    scope.cancel();
    await expect(p).resolves.toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
  });

  it('lets an ExceptionGroup with a real error pass through', async () => {
    const scope = new CancelScope();
    const p = scope.run(async () => {
      const cancelled = await rejection(sleep(10));
      throw new ExceptionGroup([cancelled, new Error('real')]);
    });
    scope.cancel();
    await expect(p).rejects.toBeInstanceOf(ExceptionGroup);
    expect(scope.cancelledCaught).toBe(false);
  });
});

describe('CancelScope shield', () => {
  it('blocks the outer cancellation but not its own deadline; the outer hits at the next checkpoint after it', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    const inner = new CancelScope({ shield: true, deadline: 50 });
    const p = outer.run(async () => {
      await inner.run(async () => {
        await sleep(20);
        trace.push('shielded sleep done');
        await sleep(100);
        trace.push('unreachable');
      });
      trace.push(`after inner at ${clock.now()}`);
      await sleep(1);
      trace.push('unreachable');
    });
    await clock.advance(10);
    outer.cancel();
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['shielded sleep done', 'after inner at 50']);
    expect(inner.cancelledCaught).toBe(true);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('unshielding while the outer scope is cancelled cancels at the next checkpoint (asyncbis F)', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    const inner = new CancelScope({ shield: true });
    await outer.run(() =>
      inner.run(async () => {
        outer.cancel();
        await checkpoint();
        trace.push('shielded');
        inner.shield = false;
        expect(inner.shield).toBe(false);
        await checkpoint();
        trace.push('unreachable');
      }),
    );
    expect(trace).toEqual(['shielded']);
    expect(outer.cancelledCaught).toBe(true);
    expect(inner.cancelledCaught).toBe(false);
  });

  it('can be shielded after it started, protecting the waits from then on', async () => {
    const outer = new CancelScope();
    const inner = new CancelScope();
    let finished = false;
    const p = outer.run(async () => {
      await inner.run(async () => {
        inner.shield = true;
        outer.cancel();
        await sleep(5);
        finished = true;
      });
    });
    await clock.runAll();
    await p;
    expect(finished).toBe(true);
    expect(outer.cancelledCaught).toBe(false);
  });

  it('enters an already cancelled region cancelled (asyncbis C)', async () => {
    const outer = new CancelScope();
    const trace: string[] = [];
    await outer.run(async () => {
      outer.cancel();
      await new CancelScope().run(async () => {
        trace.push('inner started');
        await sleep(1);
        trace.push('unreachable');
      });
    });
    expect(trace).toEqual(['inner started']);
    expect(outer.cancelledCaught).toBe(true);
  });
});

describe('CancelScope deadline', () => {
  it('cancels itself at the deadline and moves on (asyncbis "deadline" row: no TimeoutError)', async () => {
    const scope = new CancelScope({ deadline: 20 });
    const p = scope.run(async () => {
      await sleep(1000);
    });
    await clock.advance(19);
    expect(scope.cancelCalled).toBe(false);
    await clock.advance(1);
    await expect(p).resolves.toBeUndefined();
    expect(scope.cancelCalled).toBe(true);
    expect(scope.deadlineExpired).toBe(true);
    expect(scope.cancelledCaught).toBe(true);
    expect(String((scope.reason as Error).message)).toMatch(/deadline/);
    expect(scope.reason).toBeInstanceOf(CancelledError);
  });

  it('names itself in the deadline message', async () => {
    const scope = new CancelScope({ deadline: 0, name: 'fetch-user' });
    await scope.run(() => checkpoint());
    expect((scope.reason as Error).message).toMatch(/"fetch-user" exceeded its deadline/);
  });

  it('with a deadline already past at entry, runs the body to its first checkpoint and then cancels', async () => {
    await clock.advance(100);
    const trace: string[] = [];
    const scope = new CancelScope({ deadline: 50 });
    await scope.run(async () => {
      trace.push('started');
      await checkpoint();
      trace.push('unreachable');
    });
    expect(trace).toEqual(['started']);
    expect(scope.cancelledCaught).toBe(true);
    expect(scope.deadlineExpired).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('can be set before run; a relative deadline is computed by the caller at entry', async () => {
    const scope = new CancelScope();
    scope.deadline = clock.now() + 30;
    expect(scope.deadline).toBe(30);
    const p = scope.run(() => sleep(100));
    await clock.advance(30);
    await p;
    expect(scope.cancelledCaught).toBe(true);
  });

  it('reschedules to a later time while running (asyncbis E: the deadline is not dropped)', async () => {
    const scope = new CancelScope({ deadline: 20 });
    const p = scope.run(() => sleep(1000));
    await clock.advance(10);
    scope.deadline = 60;
    expect(clock.pending).toBe(2);
    await clock.advance(20);
    expect(scope.cancelCalled).toBe(false);
    await clock.advance(30);
    await p;
    expect(clock.now()).toBe(60);
    expect(scope.cancelledCaught).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('reschedules to an earlier time while running', async () => {
    const scope = new CancelScope({ deadline: 500 });
    const p = scope.run(() => sleep(1000));
    await clock.advance(10);
    scope.deadline = 30;
    await clock.advance(20);
    await p;
    expect(scope.cancelledCaught).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('cancels at once when the deadline is moved into the past while running', async () => {
    const scope = new CancelScope({ deadline: 500 });
    const p = scope.run(() => sleep(1000));
    await clock.advance(10);
    scope.deadline = 5;
    expect(scope.cancelCalled).toBe(true);
    await p;
    expect(scope.cancelledCaught).toBe(true);
  });

  it('removes the deadline when set to Infinity', async () => {
    const scope = new CancelScope({ deadline: 20 });
    const p = scope.run(() => sleep(100));
    scope.deadline = Number.POSITIVE_INFINITY;
    expect(clock.pending).toBe(1);
    await clock.advance(100);
    await p;
    expect(scope.cancelCalled).toBe(false);
  });

  it('clears its timer on exit, and setting the deadline after exit arms nothing', async () => {
    const scope = new CancelScope({ deadline: 1000 });
    const p = scope.run(async () => 'quick');
    expect(clock.pending).toBe(1);
    await expect(p).resolves.toBe('quick');
    expect(clock.pending).toBe(0);
    scope.deadline = 5;
    expect(clock.pending).toBe(0);
    expect(scope.cancelCalled).toBe(false);
  });

  it('clears its timer on exit by an error', async () => {
    const boom = new Error('boom');
    const p = new CancelScope({ deadline: 1000 }).run(() => {
      throw boom;
    });
    expect(clock.pending).toBe(0);
    await expect(p).rejects.toBe(boom);
  });

  it('an explicit cancel before the deadline is not a deadline expiry', async () => {
    const scope = new CancelScope({ deadline: 100 });
    const p = scope.run(() => sleep(1000));
    await clock.advance(10);
    scope.cancel('manual');
    expect(clock.pending).toBe(0);
    await p;
    expect(scope.deadlineExpired).toBe(false);
    expect(scope.cancelledCaught).toBe(true);
  });

  it('is not enforced before the clock gets a turn: a CPU-bound body finishes', async () => {
    const scope = new CancelScope({ deadline: 10 });
    const value = await scope.run(() => {
      clock.setTimer(() => undefined, 0); // time passes without the loop running the timer
      return 'done';
    });
    expect(value).toBe('done');
    expect(scope.cancelCalled).toBe(false);
    await clock.runAll();
  });
});

describe('CancelScope input validation', () => {
  it('rejects bad options synchronously in the constructor', () => {
    expect(() => new CancelScope({ deadline: Number.NaN })).toThrow(RangeError);
    expect(() => new CancelScope({ deadline: Number.NEGATIVE_INFINITY })).toThrow(
      /options\.deadline/,
    );
    expect(() => new CancelScope({ deadline: '5' as unknown as number })).toThrow(TypeError);
    expect(() => new CancelScope({ shield: 'yes' as unknown as boolean })).toThrow(
      /options\.shield/,
    );
    expect(() => new CancelScope({ name: 5 as unknown as string })).toThrow(
      'Expected `options.name` to be a string, got `5` (number)',
    );
    expect(() => new CancelScope(5 as unknown as object)).toThrow(TypeError);
  });

  it('rejects a bad deadline or shield assignment', () => {
    const scope = new CancelScope();
    expect(() => {
      scope.deadline = Number.NaN;
    }).toThrow(RangeError);
    expect(() => {
      scope.shield = 1 as unknown as boolean;
    }).toThrow(TypeError);
  });

  it('rejects a body that is not a function, and can still run afterwards', async () => {
    const scope = new CancelScope();
    await expect(scope.run(5 as unknown as () => number)).rejects.toThrow(/`fn`/);
    await expect(scope.run(() => 5)).resolves.toBe(5);
  });
});
