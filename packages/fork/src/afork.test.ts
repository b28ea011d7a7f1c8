import { type ChildProcess as NodeChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deserialize } from 'node:v8';
import { moveOnAfter } from '@aiotools/cancel';
import { CancelNode } from '@aiotools/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useForkCleanup } from '../test-fixtures/cleanup.js';
import { bounded, gone, isRunning } from '../test-fixtures/helpers.js';
import { afork, type ChildProcess, ForkError } from './index.js';

const fixture = (name: string) => new URL(`../test-fixtures/${name}`, import.meta.url);

const { start, reports, leftovers } = useForkCleanup();

/** How many child-process handles this process holds. */
function processHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'ProcessWrap').length;
}

/**
 * Whether the handles are back to `before`: a child reaped before a rejection has its handle
 * closed by the next turns of the event loop.
 */
async function closedHandles(before: number): Promise<boolean> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  return processHandles() === before;
}

describe('afork: exit codes', () => {
  it('resolves with the code the function returned', async () => {
    const child = await start(fixture('return-99.mjs'));
    expect(child.pid).toBeGreaterThan(0);
    expect(await bounded(child.wait())).toBe(99);
    expect(child.exitCode).toBe(99);
  });

  it('gives the same code to waiters after the exit and to concurrent ones', async () => {
    const child = await start(fixture('return-99.mjs'));
    const early = [child.wait(), child.wait(), child.wait()];
    expect(await bounded(Promise.all(early))).toEqual([99, 99, 99]);
    expect(await child.wait()).toBe(99);
    expect(await Promise.all([child.wait(), child.wait()])).toEqual([99, 99]);
  });

  it('maps returned numbers with & 0xff and anything else to 0', async () => {
    const entry = fixture('return-99.mjs');
    const results = await Promise.all(
      [[256 + 7], [-1], ['text'], [undefined]].map(async (args) => {
        const child = await start(entry, { exportName: 'returns', args });
        return bounded(child.wait());
      }),
    );
    expect(results).toEqual([7, 255, 0, 0]);
    const nothing = await start(entry, { exportName: 'returnsNothing' });
    expect(await bounded(nothing.wait())).toBe(0);
  });

  it('runs the handler the module installed for a signal sent right after it resolved', async () => {
    const child = await start(fixture('sigint-101.mjs'), { exportName: 'main' });
    expect(child.sendSignal('SIGINT')).toBe(true);
    expect(await bounded(child.wait())).toBe(101);
  });

  it('reports a signal death as -signo', async () => {
    const segv = await start(fixture('forever.mjs'), { exportName: 'segfault' });
    expect(await bounded(segv.wait())).toBe(-11);
    const term = await start(fixture('forever.mjs'), { exportName: 'main' });
    term.sendSignal('SIGTERM');
    expect(await bounded(term.wait())).toBe(-15);
  });

  it('gives 101 and -15 to 32 children, half sent SIGINT and half SIGTERM', async () => {
    const codes: number[] = [];
    // Eight at a time: every child is a Node.js process with a loader.
    for (let batch = 0; batch < 4; batch++) {
      const started = await Promise.all(
        Array.from({ length: 8 }, () => start(fixture('sigint-101.mjs'), { exportName: 'main' })),
      );
      for (const [i, child] of started.entries()) {
        child.sendSignal(i % 2 === 0 ? 'SIGINT' : 'SIGTERM');
      }
      codes.push(...(await bounded(Promise.all(started.map((child) => child.wait())))));
    }
    expect(codes.filter((code) => code === 101)).toHaveLength(16);
    expect(codes.filter((code) => code === -15)).toHaveLength(16);
  }, 60_000);

  it('exits with 1 and writes the stack to stderr for an uncaught error in the function', async () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return write(chunk);
    });
    const child = await start(fixture('forever.mjs'), { exportName: 'fail' });
    expect(await bounded(child.wait())).toBe(1);
    await bounded(
      vi.waitFor(() => expect(written.join('')).toContain('Error: the function failed'), {
        timeout: 5_000,
      }),
    );
    expect(written.join('')).toMatch(/Error: the function failed\n\s+at fail /);
  });

  it('runs a TypeScript entry under the loader', async () => {
    const child = await start(fixture('typed.ts'), { exportName: 'main', args: [41] });
    expect(await bounded(child.wait())).toBe(42);
  });
});

describe('afork: what the child receives', () => {
  it('passes Map, Set, BigInt, Date and Uint8Array arguments intact', async () => {
    const server = await reports();
    const args = [
      new Map([['a', 1]]),
      new Set(['x', 'y']),
      2n ** 70n,
      new Date('2026-01-02T03:04:05Z'),
      new Uint8Array([1, 2, 3]),
      { nested: [1, 'two'] },
    ];
    const child = await start(fixture('echo.mjs'), {
      exportName: 'args',
      args: [server.port, ...args],
    });
    const hex = (await bounded(server.next())) as string;
    expect(deserialize(Buffer.from(hex, 'hex'))).toEqual(args);
    expect(await bounded(child.wait())).toBe(0);
  });

  it('replaces the environment with `env`', async () => {
    const server = await reports();
    const child = await start(fixture('echo.mjs'), {
      exportName: 'env',
      args: [server.port],
      env: { ONLY_THIS: 'yes', PATH: process.env.PATH },
    });
    const env = (await bounded(server.next())) as Record<string, string>;
    expect(env.ONLY_THIS).toBe('yes');
    expect(Object.keys(env).sort()).toEqual(['ONLY_THIS', 'PATH']);
    expect(await bounded(child.wait())).toBe(0);
  });
});

describe('afork: failures before ready', () => {
  async function failure(promise: Promise<unknown>): Promise<ForkError> {
    const error = await bounded(
      promise.then(
        () => undefined,
        (reason: unknown) => reason,
      ),
    );
    expect(error).toBeInstanceOf(ForkError);
    return error as ForkError;
  }

  it('rejects with a ForkError for a module that does not import', async () => {
    const error = await failure(afork(fixture('missing-import.mjs')));
    expect(error.message).toContain('missing-import.mjs');
    expect(error.message).toContain('no-such-module.mjs');
    expect(error.exitCode).toBe(1);
    expect(error.signal).toBeNull();
    expect(error.stderr).toContain('ERR_MODULE_NOT_FOUND');
  });

  it('rejects with a ForkError for a top level that throws', async () => {
    const error = await failure(afork(fixture('throwing-top-level.mjs')));
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain('the top level failed');
    expect(error.stderr).toContain('Error: the top level failed');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects with a ForkError naming the export and the module when it is not a function', async () => {
    for (const exportName of ['missing', 'notAFunction']) {
      const error = await failure(afork(fixture('return-99.mjs'), { exportName }));
      expect(error.message).toContain(`\`${exportName}\``);
      expect(error.message).toContain('return-99.mjs');
      expect(error.exitCode).toBe(1);
      expect(error.cause).toBeInstanceOf(TypeError);
    }
  });

  it('kills a child that misses readyTimeout, and rejects once it is gone', async () => {
    const before = processHandles();
    const env = { ...process.env, REPORT_PORT: String((await reports()).port) };
    const error = await failure(afork(fixture('slow-import.mjs'), { env, readyTimeout: 300 }));
    expect(error.message).toContain('readyTimeout');
    expect(error.signal).toBe('SIGKILL');
    expect(error.exitCode).toBe(-9);
    expect(await closedHandles(before)).toBe(true);
  });
});

describe('afork: cancellation before ready', () => {
  async function slowStart(
    options: { signal?: AbortSignal } = {},
  ): Promise<{ promise: Promise<ChildProcess>; pid: number }> {
    const server = await reports();
    const env = { ...process.env, REPORT_PORT: String(server.port) };
    const promise = afork(fixture('slow-import.mjs'), { env, ...options });
    promise.catch(() => {});
    const pid = (await bounded(server.next())) as number;
    leftovers.push({ pid, marker: 'child-main' });
    return { promise, pid };
  }

  it('kills the child and rejects with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const { promise, pid } = await slowStart({ signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(bounded(promise)).rejects.toBe(reason);
    expect(isRunning(pid)).toBe(false);
  });

  it('rejects at once, starting nothing, when the signal is aborted already', async () => {
    const reason = new Error('too late');
    await expect(
      afork(fixture('return-99.mjs'), { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
  });

  it('follows the ambient scope: a CancelNode', async () => {
    const node = new CancelNode(undefined);
    let started: { promise: Promise<ChildProcess>; pid: number } | undefined;
    const entered = node.run(async () => {
      started = await slowStart();
      return started.promise;
    });
    entered.catch(() => {});
    await bounded(vi.waitFor(() => expect(started).toBeDefined(), { timeout: 5_000 }));
    const reason = new Error('scope cancelled');
    node.cancel(reason);
    await expect(bounded(entered)).rejects.toBe(reason);
    expect(isRunning(started?.pid ?? 0)).toBe(false);
  });

  it('follows the ambient scope: moveOnAfter', async () => {
    const before = processHandles();
    const env = { ...process.env, REPORT_PORT: String((await reports()).port) };
    let reached = false;
    await bounded(
      moveOnAfter(300, async () => {
        await afork(fixture('slow-import.mjs'), { env });
        reached = true;
      }),
    );
    expect(reached).toBe(false);
    expect(await closedHandles(before)).toBe(true);
  });
});

describe('afork: validation before any process exists', () => {
  it.each([
    [42, {}, TypeError, 'entry'],
    ['', {}, RangeError, 'entry'],
    ['x.mjs', 'fast', TypeError, 'options'],
    ['x.mjs', { exportName: 1 }, TypeError, 'options.exportName'],
    ['x.mjs', { args: 'a' }, TypeError, 'options.args'],
    ['x.mjs', { args: [() => 1] }, TypeError, 'options.args[0]'],
    ['x.mjs', { env: 'A=1' }, TypeError, 'options.env'],
    ['x.mjs', { processGroup: 'yes' }, TypeError, 'options.processGroup'],
    ['x.mjs', { signal: {} }, TypeError, 'options.signal'],
    ['x.mjs', { readyTimeout: -1 }, RangeError, 'options.readyTimeout'],
    ['x.mjs', { readyTimeout: Number.NaN }, RangeError, 'options.readyTimeout'],
    ['x.mjs', { readyTimeout: '1' }, TypeError, 'options.readyTimeout'],
  ])('rejects afork(%j, %j) with a %o about %s', async (entry, options, type, name) => {
    const call = afork(entry as string, options as never);
    await expect(call).rejects.toThrow(type);
    await expect(call).rejects.toThrow(
      new RegExp(`^Expected \`${name.replace(/[[\]]/g, '\\$&')}\` to be .*, got `),
    );
  });
});

describe('afork: parent death', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const spawned: NodeChildProcess[] = [];

  afterEach(async () => {
    for (const parent of spawned.splice(0)) {
      if (parent.exitCode === null && parent.signalCode === null) {
        const exited = new Promise((resolve) => parent.once('exit', resolve));
        parent.kill('SIGKILL');
        await bounded(exited);
      }
    }
  });

  async function orphan(mode: 'alone' | 'group'): Promise<number[]> {
    const server = await reports();
    const parent = spawn(
      process.execPath,
      ['--import', tsx, fileURLToPath(fixture('intermediate.mjs')), String(server.port), mode],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    spawned.push(parent);
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    const pids = (await bounded(server.next())) as number[];
    leftovers.push({ pid: pids[0] ?? 0, marker: 'child-main' });
    if (pids[1] !== undefined) leftovers.push({ pid: pids[1], marker: 'sleep 30' });
    parent.kill('SIGKILL');
    await bounded(exited);
    return pids;
  }

  it('ends a child whose parent was SIGKILLed', async () => {
    const [child] = await orphan('alone');
    expect(await gone(child ?? 0)).toBe(true);
  });

  it('ends the child and its group when the parent was SIGKILLed', async () => {
    const [child, grandchild] = await orphan('group');
    expect(await gone(child ?? 0)).toBe(true);
    expect(await gone(grandchild ?? 0)).toBe(true);
  });
});

describe('ForkError', () => {
  it('is branded, named, and has defaults without details', () => {
    const error = new ForkError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ForkError');
    expect([error.exitCode, error.signal, error.stderr]).toEqual([1, null, '']);
    const copy = Object.defineProperty(new Error('x'), Symbol.for('@aiotools/fork.ForkError'), {
      value: true,
    });
    expect(copy).toBeInstanceOf(ForkError);
    expect(new Error('plain')).not.toBeInstanceOf(ForkError);
  });
});
