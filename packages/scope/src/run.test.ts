import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancelledError, currentNode, sleep } from '@aiotools/core';
import { Group, run, type TaskErrorContext, TaskGroup } from '@aiotools/scope';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fixture = fileURLToPath(new URL('../test-fixtures/run-signals.ts', import.meta.url));

describe('run', () => {
  it('cancels main once on the first signal, ignores a second one during cleanup, and removes its handlers', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@aiotools/source', '--import', 'tsx', fixture],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const listeners = new Set<() => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const listener of listeners) listener();
    });
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        child.once('exit', () =>
          out.includes(text) ? resolve() : reject(new Error(`exited before "${text}": ${out}`)),
        );
        check();
      });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      await waitFor('ready');
      child.kill('SIGINT');
      await waitFor('cancelled');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(guard);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(out).toBe(
      'ready\ncancelled: Received SIGINT\ncleanup done\nmain rejected with CancelledError\nlisteners 0 0\n',
    );
  });

  it('returns the value of main, runs it in a root scope and cancels that scope afterwards', async () => {
    let inside: ReturnType<typeof currentNode>;
    const value = await run(
      async (signal) => {
        inside = currentNode();
        expect(signal.aborted).toBe(false);
        return 42;
      },
      { signals: false },
    );
    expect(value).toBe(42);
    expect(inside!.cancelled).toBe(true);
    expect(currentNode()).toBeUndefined();
  });

  it('propagates the error of main and validates its arguments', async () => {
    await expect(run(() => Promise.reject(new RangeError('x')), { signals: [] })).rejects.toThrow(
      'x',
    );
    await expect(run(3 as never)).rejects.toThrow(TypeError);
    await expect(run(() => 1, { signals: 'SIGINT' as never })).rejects.toThrow(/options.signals/);
  });

  it('installs handlers only while main runs', async () => {
    const before = process.listenerCount('SIGTERM');
    await run(async () => {
      expect(process.listenerCount('SIGTERM')).toBe(before + 1);
      await sleep(0).catch((e: unknown) => expect(e).toBeInstanceOf(CancelledError));
    });
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('validates `signals` before installing anything, so a bad list leaves no listener behind', async () => {
    // Reported: ['SIGINT', 'SIGKILL'] rejected with `uv_signal_start EINVAL` and left its SIGINT
    // listener installed (Ctrl-C was ignored from then on); ['SIGFOO'] and [42] were accepted.
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const main = vi.fn(async () => 1);
    await expect(run(main, { signals: ['SIGINT', 'SIGKILL'] })).rejects.toThrow(
      new RangeError(
        'Expected `options.signals[1]` to be a signal that can be caught, got `"SIGKILL"` (string): SIGKILL and SIGSTOP cannot be handled',
      ),
    );
    await expect(run(main, { signals: ['SIGTERM', 'SIGSTOP'] })).rejects.toThrow(RangeError);
    await expect(run(main, { signals: ['SIGFOO' as NodeJS.Signals] })).rejects.toThrow(
      new RangeError(
        'Expected `options.signals[0]` to be a signal name known to os.constants.signals, got `"SIGFOO"` (string)',
      ),
    );
    await expect(run(main, { signals: [42 as never] })).rejects.toThrow(
      new TypeError(
        'Expected `options.signals[0]` to be a signal name such as "SIGTERM", got `42` (number)',
      ),
    );
    await expect(run(main, { signals: null as never })).rejects.toThrow(/`options.signals`/);
    await expect(run(main, { exitOnSignal: 'yes' as never })).rejects.toThrow(
      new TypeError('Expected `options.exitOnSignal` to be a boolean, got `"yes"` (string)'),
    );
    expect(main).not.toHaveBeenCalled();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });

  it('installs one listener per distinct signal and removes it when main fails', async () => {
    const before = process.listenerCount('SIGUSR2');
    await expect(
      run(
        () => {
          expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
          throw new RangeError('boom');
        },
        { signals: ['SIGUSR2', 'SIGUSR2'] },
      ),
    ).rejects.toThrow('boom');
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});

/** Waits until `signal` aborts, then rejects with its reason. */
function untilCancelled(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Delivers `signal` to the process's listeners, as Node does for a real one. */
function deliver(signal: NodeJS.Signals): void {
  process.emit(signal, signal);
}

describe('run and the Groups created under it', () => {
  it('closes a Group created in main when a signal ended main, before it rejects', async () => {
    // Reported: after SIGINT, run() rejected while the Group's tasks kept running.
    let group!: Group;
    const events: string[] = [];
    const outcome = run(
      async () => {
        group = new Group();
        group.spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            events.push('group task cancelled');
          }
        });
        deliver('SIGUSR2');
        await untilCancelled(currentNode()!.signal);
      },
      { signals: ['SIGUSR2'] },
    ).finally(() => events.push('run settled'));
    await expect(outcome).rejects.toThrow(new CancelledError('Received SIGUSR2'));
    expect(events).toEqual(['group task cancelled', 'run settled']);
    expect(group.isClosed).toBe(true);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('closes the Groups still open when main returns, wherever under run() they were created', async () => {
    const created: Group[] = [];
    const tracked = (group: Group) => {
      created.push(group);
      return group;
    };
    const value = await run(
      async () => {
        const top = tracked(new Group({ name: 'top' }));
        top.spawn(async (signal) => {
          // A Group created in a task of a Group is a root scope too, but still under run().
          tracked(new Group({ name: 'nested' })).spawn(untilCancelled);
          await untilCancelled(signal);
        });
        top.createSubgroup().spawn(untilCancelled);
        await TaskGroup.run(async (tg) => {
          tg.spawn(() => {
            tracked(new Group({ name: 'in a task group' })).spawn(untilCancelled);
          });
        });
        await new Promise<void>((resolve) => setImmediate(resolve));
        return 'done';
      },
      { signals: false },
    );
    expect(value).toBe('done');
    expect(created.map((group) => [group.name, group.isClosed])).toEqual([
      ['top', true],
      ['nested', true],
      ['in a task group', true],
    ]);
  });

  it('closes a Group that a closing Group task creates, and leaves Groups created outside alone', async () => {
    const outside = new Group();
    let late: Group | undefined;
    await run(
      () => {
        new Group().spawn(async (signal) => {
          try {
            await untilCancelled(signal);
          } finally {
            late = new Group();
            late.spawn(untilCancelled);
          }
        });
      },
      { signals: false },
    );
    expect(late?.isClosed).toBe(true);
    expect(outside.isOpen).toBe(true);
    await outside.asyncClose();
  });

  it("reports a Group task's failure during the close to its handler and keeps main's value", async () => {
    const seen: TaskErrorContext[] = [];
    const value = await run(
      () => {
        const group = new Group({ exceptionHandler: (context) => seen.push(context) });
        group.spawn(
          async (signal) => {
            await untilCancelled(signal).catch(() => {});
            throw new RangeError('cleanup failed');
          },
          { name: 'flusher' },
        );
        return 7;
      },
      { signals: false },
    );
    expect(value).toBe(7);
    expect(seen.map((context) => [context.task.name, (context.error as Error).message])).toEqual([
      ['flusher', 'cleanup failed'],
    ]);
  });

  it('keeps nothing of a Group that closed while main runs', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await run(
      async () => {
        const refs: WeakRef<Group>[] = [];
        const openAndClose = async () => {
          const group = new Group();
          group.spawn(untilCancelled);
          refs.push(new WeakRef(group));
          await group.asyncClose();
        };
        for (let i = 0; i < 100; i++) await openAndClose();
        await new Promise<void>((resolve) => setImmediate(resolve));
        gc();
        expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
      },
      { signals: false },
    );
  });
});

describe('run with exitOnSignal', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('resolves undefined, sets exitCode to 128 + the signal number and writes one line when a signal ended main', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const outcome = await run(
      async () => {
        deliver('SIGUSR2');
        await untilCancelled(currentNode()!.signal);
        return 'not reached';
      },
      { signals: ['SIGUSR2'], exitOnSignal: true },
    );
    expect(outcome).toBeUndefined();
    expect(process.exitCode).toBe(128 + constants.signals.SIGUSR2);
    expect(write.mock.calls).toEqual([['Stopped by SIGUSR2\n']]);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('leaves other outcomes alone: a value returned after the signal, a cancellation without one', async () => {
    const write = vi.spyOn(process.stderr, 'write');
    const value = await run(
      async () => {
        deliver('SIGUSR2');
        await untilCancelled(currentNode()!.signal).catch(() => {});
        return 'cleaned up';
      },
      { signals: ['SIGUSR2'], exitOnSignal: true },
    );
    expect(value).toBe('cleaned up');
    await expect(
      run(() => Promise.reject(new CancelledError('own')), { exitOnSignal: true }),
    ).rejects.toThrow('own');
    expect(process.exitCode).toBeUndefined();
    expect(write).not.toHaveBeenCalled();
  });
});
