import { checkpoint } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { actxmgr } from './actxmgr.js';
import { withContext } from './with-context.js';

// Ports of aiotools' tests/test_context.py (the actxmgr part).
describe('actxmgr', () => {
  it('returns a factory whose managers have enter and exit, unlike a plain async generator', () => {
    const simple = actxmgr(async function* simpleCtx() {
      yield;
    });
    async function* plain() {
      yield;
    }
    const cm = simple();
    expect(typeof cm.enter).toBe('function');
    expect(typeof cm.exit).toBe('function');
    expect(simple.name).toBe('simpleCtx');
    expect('enter' in plain()).toBe(false);
    expect(() => actxmgr(42 as never)).toThrow(TypeError);
  });

  it('runs the code before the yield on enter and the code after it on exit', async () => {
    let step = 0;
    const simple = actxmgr(async function* (msg: string) {
      step = 1;
      await checkpoint();
      step = 2;
      try {
        yield msg;
        step = 3;
      } finally {
        await checkpoint();
        step = 4;
      }
    });
    await withContext(simple('hello'), (msg) => {
      expect(step).toBe(2);
      expect(msg).toBe('hello');
    });
    expect(step).toBe(4);

    step = 0;
    const error = new Error('something wrong');
    await expect(
      withContext(simple('world'), async (msg) => {
        expect(step).toBe(2);
        expect(msg).toBe('world');
        await checkpoint();
        throw error;
      }),
    ).rejects.toBe(error);
    expect(step).toBe(4);
  });

  it('returns the body result', async () => {
    const simple = actxmgr(async function* () {
      yield 2;
    });
    await expect(withContext(simple(), (x) => x * 21)).resolves.toBe(42);
  });

  it('refuses to enter the same manager twice', async () => {
    const simple = actxmgr(async function* (msg: string) {
      yield msg;
    });
    const cm = simple('hello');
    await withContext(cm, () => undefined);
    await expect(withContext(cm, () => undefined)).rejects.toThrow(/entered only once/);
    await expect(withContext(simple('hello'), (msg) => msg)).resolves.toBe('hello');
  });

  it('raises an error of the body transparently, and exit(error) reports it as not handled', async () => {
    const simple = actxmgr(async function* (msg: string) {
      await checkpoint();
      yield msg;
      await checkpoint();
    });
    const oops = new RangeError('oops');
    await expect(
      withContext(simple('hello'), () => {
        throw oops;
      }),
    ).rejects.toBe(oops);

    const cm = simple('hello');
    expect(await cm.enter()).toBe('hello');
    expect(await cm.exit(new Error('value'))).toBe(false);
  });

  it('raises an error thrown before the yield as it is, without running the body', async () => {
    const oops = new Error('oops');
    const failing = actxmgr(async function* (msg: string) {
      await checkpoint();
      throw oops;
      // biome-ignore lint/correctness/noUnreachable: the generator must be a generator
      yield msg;
    });
    let ran = false;
    await expect(
      withContext(failing('hello'), () => {
        ran = true;
      }),
    ).rejects.toBe(oops);
    expect(ran).toBe(false);
  });

  it('raises an error thrown after the yield on a normal exit', async () => {
    const oops = new Error('oops');
    const failing = actxmgr(async function* (msg: string) {
      await checkpoint();
      yield msg;
      await checkpoint();
      throw oops;
    });
    await expect(withContext(failing('hello'), (msg) => msg)).rejects.toBe(oops);
  });

  it('lets an uncaught body error through', async () => {
    const simple = actxmgr(async function* (msg: string) {
      await checkpoint();
      yield msg;
      await checkpoint();
    });
    await expect(
      withContext(simple('hello'), () => {
        throw new RangeError('bomb');
      }),
    ).rejects.toThrow(new RangeError('bomb'));
  });

  it('lets a body error through nested managers', async () => {
    const simple = actxmgr(async function* (msg: string) {
      yield msg;
    });
    const bomb = new RangeError('bomb1');
    await expect(
      withContext(simple('hello'), (msg1) =>
        withContext(simple('world'), (msg2) => {
          expect([msg1, msg2]).toEqual(['hello', 'world']);
          throw bomb;
        }),
      ),
    ).rejects.toBe(bomb);
  });

  it('replaces the body error with the one the generator throws, keeping the cause it set', async () => {
    const chained = actxmgr(async function* (msg: string) {
      try {
        await checkpoint();
        yield msg;
      } catch (error) {
        await checkpoint();
        throw new TypeError('bomb2', { cause: error });
      }
    });
    const bomb1 = new RangeError('bomb1');
    const error = await withContext(chained('hello'), () => {
      throw bomb1;
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('bomb2');
    expect((error as Error).cause).toBe(bomb1);

    const replaced = actxmgr(async function* (msg: string) {
      try {
        yield msg;
      } catch {
        throw new TypeError('bomb2');
      }
    });
    const error2 = await withContext(replaced('hello'), () => {
      throw bomb1;
    }).catch((e: unknown) => e);
    expect((error2 as Error).message).toBe('bomb2');
    expect((error2 as Error).cause).toBeUndefined();
  });

  it('keeps the identity and the cause chain of the body error', async () => {
    const simple = actxmgr(async function* () {
      try {
        yield;
      } finally {
        await checkpoint();
      }
    });
    const root = new Error('root');
    const error = new Error('outer', { cause: root });
    const caught = await withContext(simple(), () => {
      throw error;
    }).catch((e: unknown) => e);
    expect(caught).toBe(error);
    expect((caught as Error).cause).toBe(root);
  });

  it('suppresses the body error when the generator catches it and returns', async () => {
    let seen: unknown;
    const swallowing = actxmgr(async function* () {
      try {
        yield 1;
      } catch (error) {
        seen = error;
      }
    });
    const error = new Error('handled');
    await expect(
      withContext(swallowing(), () => {
        throw error;
      }),
    ).resolves.toBeUndefined();
    expect(seen).toBe(error);
  });

  it('treats any thrown value, even undefined, as a body error', async () => {
    let caught = false;
    const swallowing = actxmgr(async function* () {
      try {
        yield 1;
      } catch {
        caught = true;
      }
    });
    await expect(
      withContext(swallowing(), () => {
        throw undefined;
      }),
    ).resolves.toBeUndefined();
    expect(caught).toBe(true);
  });

  it('propagates an error of the finalization in place of a normal exit (the StopAsyncIteration case)', async () => {
    let step = 0;
    const stopping = actxmgr(async function* () {
      step = 1;
      try {
        await checkpoint();
        yield;
      } finally {
        step = 2;
        await checkpoint();
        // biome-ignore lint/correctness/noUnsafeFinally: the case under test
        throw new Error('x');
      }
    });
    await expect(withContext(stopping(), () => expect(step).toBe(1))).rejects.toThrow('x');
    expect(step).toBe(2);
  });

  it('is transparent: an unhandled body error skips the code after the yield but runs finally', async () => {
    let step = 0;
    const noFinally = actxmgr(async function* () {
      step = 1;
      await checkpoint();
      yield;
      step = 2;
      await checkpoint();
    });
    const exc = new Error('x');
    await expect(
      withContext(noFinally(), () => {
        expect(step).toBe(1);
        throw exc;
      }),
    ).rejects.toBe(exc);
    expect(step).toBe(1);

    const withFinally = actxmgr(async function* () {
      step = 1;
      await checkpoint();
      try {
        yield;
      } finally {
        step = 2;
        await checkpoint();
      }
    });
    step = 0;
    await expect(
      withContext(withFinally(), () => {
        expect(step).toBe(1);
        throw exc;
      }),
    ).rejects.toBe(exc);
    expect(step).toBe(2);
  });

  it('fails with "didn\'t stop" when the generator yields again, and closes it', async () => {
    let closed = false;
    const twice = actxmgr(async function* (msg: string) {
      try {
        await checkpoint();
        yield msg;
        await checkpoint();
        yield msg;
      } finally {
        closed = true;
      }
    });
    await expect(withContext(twice('hello'), (msg) => msg)).rejects.toThrow("didn't stop");
    expect(closed).toBe(true);

    const oops = new Error('oops');
    await expect(
      withContext(twice('hello'), () => {
        throw oops;
      }),
    ).rejects.toBe(oops);

    const yieldsInFinally = actxmgr(async function* (msg: string) {
      try {
        await checkpoint();
        yield msg;
      } finally {
        await checkpoint();
        yield msg;
      }
    });
    await expect(
      withContext(yieldsInFinally('hello'), () => {
        throw oops;
      }),
    ).rejects.toThrow("didn't stop after throw()");
  });

  it('fails with "didn\'t yield" when the generator returns without yielding', async () => {
    const none = actxmgr(async function* () {});
    let ran = false;
    await expect(
      withContext(none(), () => {
        ran = true;
      }),
    ).rejects.toThrow("didn't yield");
    expect(ran).toBe(false);

    const notAGenerator = actxmgr((async () => undefined) as never);
    await expect(withContext(notAGenerator(), () => undefined)).rejects.toThrow(TypeError);
  });

  it('rejects exit() on a manager that was not entered', async () => {
    const simple = actxmgr(async function* () {
      yield;
    });
    await expect(simple().exit()).rejects.toThrow(/not entered/);
  });
});
