import { deferred } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { abandonOnCancel } from './abandon-on-cancel.js';
import { CancelNode } from './cancel-node.js';

describe('abandonOnCancel', () => {
  it('resolves and rejects with the promise when not cancelled', async () => {
    await expect(abandonOnCancel(Promise.resolve(1))).resolves.toBe(1);
    const error = new Error('failed');
    await expect(abandonOnCancel(Promise.reject(error))).rejects.toBe(error);
  });

  it('accepts any thenable', async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what is tested
      then(onFulfilled: (value: string) => void) {
        onFulfilled('from thenable');
      },
    } as PromiseLike<string>;
    await expect(abandonOnCancel(thenable)).resolves.toBe('from thenable');
  });

  it('rejects with the scope reason on cancel and handles the later rejection', async () => {
    const node = new CancelNode(undefined);
    const work = deferred<number>();
    const p = node.run(() => abandonOnCancel(work.promise));
    node.cancel('give up');
    await expect(p).rejects.toBe(node.reason);
    // The abandoned promise fails later: this must not be an unhandled rejection.
    work.reject(new Error('late failure'));
  });

  it('rejects with signal.reason as it is on abort', async () => {
    const controller = new AbortController();
    const work = deferred<number>();
    const p = abandonOnCancel(work.promise, { signal: controller.signal });
    controller.abort('reason string');
    await expect(p).rejects.toBe('reason string');
    work.resolve(1);
  });

  it('handles the later rejection of a promise passed to an already cancelled scope', async () => {
    const node = new CancelNode(undefined);
    node.cancel();
    const work = deferred<number>();
    await expect(node.run(() => abandonOnCancel(work.promise))).rejects.toBe(node.reason);
    work.reject(new Error('late failure'));
  });

  it('handles the later rejection when the options are invalid', async () => {
    const work = deferred<number>();
    await expect(abandonOnCancel(work.promise, { signal: 'x' as never })).rejects.toBeInstanceOf(
      TypeError,
    );
    work.reject(new Error('late failure'));
  });

  it('rejects a value that is not a thenable with a TypeError naming the argument', async () => {
    const notCallable = Object.fromEntries([['then', 1]]);
    for (const value of [undefined, null, 42, {}, notCallable]) {
      await expect(abandonOnCancel(value as never)).rejects.toThrow(/`promise`/);
    }
    await expect(abandonOnCancel(null as never)).rejects.toBeInstanceOf(TypeError);
  });
});
