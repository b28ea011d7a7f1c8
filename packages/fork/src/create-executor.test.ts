import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CancelScope } from '@aiotools/cancel';
import { CancelNode } from '@aiotools/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from './create-executor.js';
import type { Executor, ExecutorOptions } from './executor.js';
import { ExecutorClosedError } from './executor-closed-error.js';

const fixtures = new URL('../test-fixtures/executor/', import.meta.url);
const functions = new URL('functions.mjs', fixtures);
const WAIT = 5_000;

// Atomics.waitAsync (Node 16+) is in the ES2024 library, above the one the packages target.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      view: Int32Array,
      index: number,
      value: number,
      timeout: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const pools: Executor[] = [];
function executor(options?: ExecutorOptions): Executor {
  const pool = createExecutor(options);
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** A shared buffer a blocked call waits on: index 0 releases it, index 1 says it started. */
function gate() {
  const shared = new SharedArrayBuffer(8);
  const view = new Int32Array(shared);
  return {
    shared,
    /** Resolves once the blocked call runs in its thread (bounded). */
    async started(): Promise<void> {
      const result = waitAsync(view, 1, 0, WAIT);
      const outcome = result.async ? await result.value : result.value;
      if (outcome === 'timed-out') throw new Error('the blocked call did not start');
    },
    release(): void {
      Atomics.store(view, 0, 1);
      Atomics.notify(view, 0);
    },
  };
}

/** A log the `record` fixture appends to: `[count, value1, value2, …]`. */
function log() {
  const shared = new SharedArrayBuffer(4 * 16);
  const view = new Int32Array(shared);
  return { shared, values: () => Array.from(view.subarray(1, 1 + view[0]!)) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createExecutor: results and errors', () => {
  it('resolves with the value of a sync and of an async function', async () => {
    const pool = executor({ threads: 2 });
    await expect(pool.run(functions)).resolves.toBe(42);
    await expect(pool.run(functions, { exportName: 'add', args: [2, 3] })).resolves.toBe(5);
    await expect(pool.run(functions, { exportName: 'later', args: ['soon'] })).resolves.toBe(
      'soon',
    );
  });

  it('takes paths, file: URL strings, data: URLs and CommonJS modules', async () => {
    const pool = executor({ threads: 1 });
    await expect(pool.run(fileURLToPath(functions))).resolves.toBe(42);
    await expect(pool.run(functions.href)).resolves.toBe(42);
    await expect(pool.run('data:text/javascript,export default () => 7')).resolves.toBe(7);
    const common = new URL('common.cjs', fixtures);
    await expect(pool.run(common, { args: ['you'] })).resolves.toBe('hello you');
    await expect(pool.run(common, { exportName: 'twice', args: [4] })).resolves.toBe(8);
  });

  it('passes the arguments by structured clone', async () => {
    const pool = executor({ threads: 1 });
    const date = new Date(1_700_000_000_000);
    const result = await pool.run(functions, {
      exportName: 'describe',
      args: [new Map([['a', 1]]), date, 21n],
    });
    expect(result).toEqual({ keys: ['a'], time: date.getTime(), big: 42n, isDate: true });
  });

  it('rejects with the error the function throws: name, message, stack, cause and code', async () => {
    const pool = executor({ threads: 1 });
    const error = (await rejection(
      pool.run(functions, { exportName: 'fail', args: ['it broke'] }),
    )) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CustomError');
    expect(error.message).toBe('it broke');
    expect(error.code).toBe('E_CUSTOM');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.stack).toMatch(/^CustomError: it broke\n/);
    expect(error.stack).toContain('functions.mjs');

    const asyncError = await rejection(pool.run(functions, { exportName: 'failLater' }));
    expect(asyncError).toBeInstanceOf(TypeError);
    expect(asyncError).toMatchObject({ message: 'async failure' });

    await expect(pool.run(functions, { exportName: 'throwValue' })).rejects.toEqual({ code: 7 });
  });

  it('rejects with a TypeError for a missing or a non-function export', async () => {
    const pool = executor({ threads: 1 });
    const missing = await rejection(pool.run(functions, { exportName: 'nothing' }));
    expect(missing).toBeInstanceOf(TypeError);
    expect((missing as Error).message).toContain(
      `Module ${functions.href} has no export "nothing"`,
    );
    const notFunction = await rejection(pool.run(functions, { exportName: 'notAFunction' }));
    expect(notFunction).toBeInstanceOf(TypeError);
    expect((notFunction as Error).message).toBe(
      `Expected export "notAFunction" of ${functions.href} to be a function, got \`42\` (number)`,
    );
  });

  it("rejects with the import's error for a module that fails to load", async () => {
    const pool = executor({ threads: 1 });
    const broken = await rejection(pool.run(new URL('broken.mjs', fixtures)));
    expect(broken).toBeInstanceOf(SyntaxError);
    expect((broken as Error).message).toBe('broken on purpose');
    const absent = await rejection(pool.run(new URL('absent.mjs', fixtures)));
    expect(absent).toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    await expect(pool.run(functions)).resolves.toBe(42);
  });

  it('rejects for arguments or a result that cannot be cloned, and stays usable', async () => {
    const pool = executor({ threads: 1 });
    const badArgs = await rejection(pool.run(functions, { args: [() => 1] }));
    expect(badArgs).toMatchObject({ name: 'DataCloneError' });
    const badResult = await rejection(pool.run(functions, { exportName: 'returnsFunction' }));
    expect(badResult).toBeInstanceOf(TypeError);
    expect((badResult as Error).message).toContain(
      'returned a value that cannot be cloned to the calling thread',
    );
    await expect(pool.run(functions)).resolves.toBe(42);
  });
});

describe('createExecutor: queueing and concurrency', () => {
  it('queues calls in FIFO order when every thread is busy', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const entries = log();
    const blocked = pool.run(functions, { exportName: 'block', args: [blocker.shared] });
    await blocker.started();
    const queued = [1, 2, 3, 4].map((value) =>
      pool.run(functions, { exportName: 'record', args: [entries.shared, value] }),
    );
    expect(entries.values()).toEqual([]);
    blocker.release();
    await expect(blocked).resolves.toBe('unblocked');
    await expect(Promise.all(queued)).resolves.toEqual([1, 2, 3, 4]);
    expect(entries.values()).toEqual([1, 2, 3, 4]);
  });

  it('runs calls on different threads at the same time', async () => {
    const pool = executor({ threads: 2 });
    const shared = new SharedArrayBuffer(8);
    const calls = [
      pool.run(functions, { exportName: 'meet', args: [shared, 0, 1] }),
      pool.run(functions, { exportName: 'meet', args: [shared, 1, 0] }),
    ];
    await expect(Promise.all(calls)).resolves.toEqual(['met', 'met']);
  });
});

describe('createExecutor: cancellation', () => {
  it('removes a cancelled queued call; it never runs', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const entries = log();
    const blocked = pool.run(functions, { exportName: 'block', args: [blocker.shared] });
    await blocker.started();
    const controller = new AbortController();
    const cancelled = pool.run(functions, {
      exportName: 'record',
      args: [entries.shared, 1],
      signal: controller.signal,
    });
    const after = pool.run(functions, { exportName: 'record', args: [entries.shared, 2] });
    const reason = new Error('not needed');
    controller.abort(reason);
    await expect(cancelled).rejects.toBe(reason);
    blocker.release();
    await expect(blocked).resolves.toBe('unblocked');
    await expect(after).resolves.toBe(1);
    expect(entries.values()).toEqual([2]);
  });

  it('terminates the thread of a cancelled running call and replaces it', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const controller = new AbortController();
    // Blocked in Atomics.wait, the function cannot be interrupted from inside its thread.
    const running = pool.run(functions, {
      exportName: 'block',
      args: [blocker.shared],
      signal: controller.signal,
    });
    const queued = pool.run(functions, { exportName: 'add', args: [1, 1] });
    await blocker.started();
    const reason = { why: 'stop' };
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await expect(queued).resolves.toBe(2);
    await expect(pool.run(functions)).resolves.toBe(42);
  });

  it('is cancelled by the ambient scope', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const node = new CancelNode(undefined);
    const running = node.run(() =>
      pool.run(functions, { exportName: 'block', args: [blocker.shared] }),
    );
    await blocker.started();
    const reason = new Error('scope cancelled');
    node.cancel(reason);
    await expect(running).rejects.toBe(reason);
    await expect(pool.run(functions)).resolves.toBe(42);
  });

  it('ends with a CancelScope that is cancelled', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const scope = new CancelScope();
    const done = scope.run(() =>
      pool.run(functions, { exportName: 'block', args: [blocker.shared] }),
    );
    await blocker.started();
    scope.cancel();
    await expect(done).resolves.toBeUndefined();
    expect(scope.cancelledCaught).toBe(true);
    await expect(pool.run(functions)).resolves.toBe(42);
  });

  it('rejects at once for a signal already aborted, starting nothing', async () => {
    const pool = executor({ threads: 1 });
    const entries = log();
    const reason = new Error('too late');
    await expect(
      pool.run(functions, {
        exportName: 'record',
        args: [entries.shared, 1],
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    await expect(
      pool.run(functions, { exportName: 'record', args: [entries.shared, 2] }),
    ).resolves.toBe(1);
    expect(entries.values()).toEqual([2]);
  });
});

describe('createExecutor: crashes', () => {
  it('rejects the call of a thread that exits, and replaces the thread', async () => {
    const pool = executor({ threads: 1 });
    const queued = pool.run(functions, { exportName: 'add', args: [2, 2] });
    const exited = await rejection(pool.run(functions, { exportName: 'exit', args: [3] }));
    expect(exited).toBeInstanceOf(Error);
    expect((exited as Error).message).toBe(
      `An executor thread exited with code 3 while running export "exit" of ${functions.href}`,
    );
    await expect(queued).resolves.toBe(4);
    await expect(pool.run(functions)).resolves.toBe(42);
  });

  it('rejects the call of a thread that fails with an uncaught error, and replaces it', async () => {
    const pool = executor({ threads: 1 });
    const failed = await rejection(pool.run(functions, { exportName: 'crashOutside' }));
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toBe(
      `An executor thread failed with an uncaught error while running export "crashOutside" of ${functions.href}: uncaught outside the call`,
    );
    expect((failed as Error).cause).toMatchObject({ message: 'uncaught outside the call' });
    await expect(pool.run(functions)).resolves.toBe(42);
  });
});

describe('createExecutor: closing', () => {
  it('rejects queued calls, lets the running one finish, then rejects new calls', async () => {
    const pool = executor({ threads: 1 });
    const blocker = gate();
    const running = pool.run(functions, { exportName: 'block', args: [blocker.shared] });
    const queued = pool.run(functions);
    await blocker.started();
    const closed = pool.close();
    expect(pool.close()).toBe(closed);
    const error = await rejection(queued);
    expect(error).toBeInstanceOf(ExecutorClosedError);
    expect((error as Error).message).toBe('The executor is closed: the queued call did not run');
    blocker.release();
    await expect(running).resolves.toBe('unblocked');
    await closed;
    const late = await rejection(pool.run(functions));
    expect(late).toBeInstanceOf(ExecutorClosedError);
    expect((late as Error).message).toBe('The executor is closed: no new calls run');
    await expect(pool.close()).resolves.toBeUndefined();
  });

  it('closes at the end of an `await using` block', async () => {
    let outer: Executor;
    {
      await using pool = createExecutor({ threads: 2 });
      outer = pool;
      await expect(pool.run(functions)).resolves.toBe(42);
    }
    await expect(outer.run(functions)).rejects.toBeInstanceOf(ExecutorClosedError);
  });

  it('closes a pool that never started a thread', async () => {
    const pool = createExecutor();
    await pool.close();
    await expect(pool.run(functions)).rejects.toBeInstanceOf(ExecutorClosedError);
  });

  it('does not keep the process alive with idle threads when never closed', async () => {
    const script = [
      `import { createExecutor } from ${JSON.stringify(new URL('./create-executor.ts', import.meta.url).href)};`,
      'const pool = createExecutor({ threads: 2 });',
      `console.log(await pool.run(${JSON.stringify(functions.href)}));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--conditions', '@aiotools/source', '--input-type=module', '-e', script],
      { timeout: 15_000 },
    );
    expect(stdout.trim()).toBe('42');
  });
});

describe('createExecutor: validation', () => {
  it('rejects invalid options before any thread exists', () => {
    expect(() => createExecutor({ threads: 0 })).toThrow(
      new RangeError('Expected `options.threads` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() => createExecutor({ threads: 1.5 })).toThrow(RangeError);
    expect(() => createExecutor({ threads: '2' as unknown as number })).toThrow(
      new TypeError('Expected `options.threads` to be an integer, got `"2"` (string)'),
    );
    expect(() => createExecutor(4 as unknown as ExecutorOptions)).toThrow(
      new TypeError('Expected `options` to be an object, got `4` (number)'),
    );
  });

  it('rejects invalid arguments of run', async () => {
    const pool = executor({ threads: 1 });
    await expect(pool.run(42 as unknown as string)).rejects.toThrow(
      new TypeError('Expected `entry` to be a path or a URL, got `42` (number)'),
    );
    await expect(pool.run('')).rejects.toThrow(
      new RangeError('Expected `entry` to be a path or a URL, got `""` (string)'),
    );
    await expect(pool.run(functions, 'x' as never)).rejects.toThrow(
      new TypeError('Expected `options` to be an object, got `"x"` (string)'),
    );
    await expect(pool.run(functions, { exportName: 1 as unknown as string })).rejects.toThrow(
      new TypeError('Expected `options.exportName` to be a string, got `1` (number)'),
    );
    await expect(pool.run(functions, { args: 'a' as unknown as unknown[] })).rejects.toThrow(
      new TypeError('Expected `options.args` to be an array, got `"a"` (string)'),
    );
    await expect(
      pool.run(functions, { signal: {} as unknown as AbortSignal }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe('ExecutorClosedError', () => {
  it('is branded across copies and has its own name', () => {
    const error = new ExecutorClosedError();
    expect(error.name).toBe('ExecutorClosedError');
    expect(error.message).toBe('The executor is closed');
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('@aiotools/fork.ExecutorClosedError')]: true,
    });
    expect(foreign).toBeInstanceOf(ExecutorClosedError);
    expect(new Error('x')).not.toBeInstanceOf(ExecutorClosedError);
  });
});
