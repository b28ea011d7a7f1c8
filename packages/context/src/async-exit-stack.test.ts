import { describe, expect, it } from 'vitest';
import { actxmgr } from './actxmgr.js';
import { AsyncExitStack } from './async-exit-stack.js';
import { SuppressedError } from './suppressed-error.js';
import { withContext } from './with-context.js';

const tracked = (log: string[]) =>
  actxmgr(async function* (name: string) {
    log.push(`enter ${name}`);
    try {
      yield name;
    } finally {
      log.push(`exit ${name}`);
    }
  });

describe('AsyncExitStack', () => {
  it('unwinds contexts and callbacks in reverse order', async () => {
    const log: string[] = [];
    const ctx = tracked(log);
    const stack = new AsyncExitStack();
    expect(await stack.enterAsyncContext(ctx('a'))).toBe('a');
    stack.callback((x: number) => log.push(`callback ${x}`), 1);
    stack.pushAsyncCallback(async (x: string) => {
      await Promise.resolve();
      log.push(`async ${x}`);
    }, 'y');
    await stack.enterAsyncContext(ctx('b'));
    stack.defer(() => log.push('defer'));
    await stack.aclose();
    expect(log).toEqual([
      'enter a',
      'enter b',
      'defer',
      'exit b',
      'async y',
      'callback 1',
      'exit a',
    ]);
    expect(stack.disposed).toBe(true);
  });

  it('works with await using and as an AsyncDisposable', async () => {
    const log: string[] = [];
    {
      await using stack = new AsyncExitStack();
      stack.callback(() => log.push('closed'));
      log.push('body');
    }
    expect(log).toEqual(['body', 'closed']);
  });

  it('runs every cleanup and chains their errors with SuppressedError', async () => {
    const log: string[] = [];
    const first = new Error('first');
    const second = new Error('second');
    const stack = new AsyncExitStack();
    stack.callback(() => log.push('still ran'));
    stack.callback(() => {
      throw first;
    });
    stack.callback(() => {
      throw second;
    });
    const error = await stack.aclose().catch((e: unknown) => e);
    expect(log).toEqual(['still ran']);
    expect(error).toBeInstanceOf(SuppressedError);
    expect((error as SuppressedError).name).toBe('SuppressedError');
    expect((error as SuppressedError).error).toBe(first);
    expect((error as SuppressedError).suppressed).toBe(second);
  });

  it('throws a single cleanup error as it is', async () => {
    const only = new Error('only');
    const stack = new AsyncExitStack();
    stack.callback(() => {
      throw only;
    });
    await expect(stack.aclose()).rejects.toBe(only);
  });

  it('gives the body error to context exits, which may suppress it, under withContext', async () => {
    const seen: unknown[] = [];
    const bomb = new Error('bomb');
    const swallowing = actxmgr(async function* () {
      try {
        yield;
      } catch (error) {
        seen.push(error);
      }
    });
    const result = await withContext(new AsyncExitStack(), async (stack) => {
      await stack.enterAsyncContext(swallowing());
      stack.pushAsyncExit((...error) => {
        seen.push(error.length === 0 ? 'none' : error[0]);
        return false;
      });
      throw bomb;
    });
    expect(result).toBeUndefined();
    expect(seen).toEqual([bomb, bomb]);
  });

  it('keeps the body error unchanged when nothing suppresses it, and chains a cleanup error to it', async () => {
    const bomb = new Error('bomb');
    await expect(
      withContext(new AsyncExitStack(), (stack) => {
        stack.callback(() => undefined);
        throw bomb;
      }),
    ).rejects.toBe(bomb);

    const cleanup = new Error('cleanup');
    const error = await withContext(new AsyncExitStack(), (stack) => {
      stack.callback(() => {
        throw cleanup;
      });
      throw bomb;
    }).catch((e: unknown) => e);
    expect((error as SuppressedError).error).toBe(cleanup);
    expect((error as SuppressedError).suppressed).toBe(bomb);
  });

  it('a later exit may suppress an error raised by an earlier cleanup', async () => {
    const stack = new AsyncExitStack();
    stack.pushAsyncExit(() => true);
    stack.callback(() => {
      throw new Error('cleanup');
    });
    await expect(stack.aclose()).resolves.toBeUndefined();
  });

  it('use() takes async and sync disposables, adopt() pairs a value with its cleanup', async () => {
    const log: string[] = [];
    const stack = new AsyncExitStack();
    stack.use({ [Symbol.dispose]: () => log.push('sync') });
    stack.use({ [Symbol.asyncDispose]: async () => void log.push('async') });
    expect(stack.use(null)).toBe(null);
    expect(stack.use(undefined)).toBe(undefined);
    const inner = new AsyncExitStack();
    inner.callback(() => log.push('inner'));
    stack.use(inner);
    expect(stack.adopt(7, (x) => log.push(`adopted ${x}`))).toBe(7);
    expect(() => stack.use({} as never)).toThrow(TypeError);
    expect(() => stack.use(5 as never)).toThrow(
      'Expected `value` to be an object with a Symbol.asyncDispose or Symbol.dispose method, null or undefined, got `5` (number)',
    );
    await stack[Symbol.asyncDispose]();
    expect(log).toEqual(['adopted 7', 'inner', 'async', 'sync']);
  });

  it('move() hands the cleanups over and closes the original', async () => {
    const log: string[] = [];
    const stack = new AsyncExitStack();
    stack.callback(() => log.push('moved'));
    const moved = stack.move();
    await stack.aclose();
    expect(log).toEqual([]);
    await moved.aclose();
    expect(log).toEqual(['moved']);
  });

  it('refuses additions once closed; closing again waits for the first close without its error', async () => {
    const stack = new AsyncExitStack();
    let release!: () => void;
    stack.pushAsyncCallback(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    stack.callback(() => {
      throw new Error('x');
    });
    const first = stack.aclose();
    let secondDone = false;
    const second = stack.aclose().then(() => {
      secondDone = true;
    });
    await Promise.resolve();
    expect(secondDone).toBe(false);
    release();
    await expect(first).rejects.toThrow('x');
    await second;
    expect(() => stack.callback(() => undefined)).toThrow(ReferenceError);
    await expect(stack.enterAsyncContext(tracked([])('a'))).rejects.toThrow(ReferenceError);
    await expect(stack.enterAsyncContext({} as never)).rejects.toThrow(TypeError);
  });

  it('does not push the exit of a context whose enter failed', async () => {
    const failing = actxmgr(async function* () {
      throw new Error('enter failed');
      // biome-ignore lint/correctness/noUnreachable: must be a generator
      yield;
    });
    const stack = new AsyncExitStack();
    await expect(stack.enterAsyncContext(failing())).rejects.toThrow('enter failed');
    await expect(stack.aclose()).resolves.toBeUndefined();
  });

  it.runIf(typeof AsyncDisposableStack === 'function')(
    'interoperates with AsyncDisposableStack in both directions',
    async () => {
      const log: string[] = [];
      const native = new AsyncDisposableStack();
      native.defer(() => void log.push('native'));
      const stack = new AsyncExitStack();
      stack.use(native);
      const outer = new AsyncDisposableStack();
      outer.use(stack);
      stack.callback(() => log.push('ours'));
      await outer.disposeAsync();
      expect(log).toEqual(['ours', 'native']);
      expect(native.disposed).toBe(true);

      const failing = new AsyncExitStack();
      failing.callback(() => {
        throw new Error('a');
      });
      failing.callback(() => {
        throw new Error('b');
      });
      const error = await failing.aclose().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(globalThis.SuppressedError);
    },
  );
});
