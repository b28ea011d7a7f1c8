import { CancelledError, CancelNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aclosing } from './aclosing.js';
import { closingAsync } from './closing-async.js';
import { withContext } from './with-context.js';

describe('aclosing', () => {
  let clock: VirtualClock;
  beforeEach(() => {
    clock = installVirtualClock({ autojump: false });
  });
  afterEach(() => clock[Symbol.dispose]());

  it('closes the generator when its consumer is cancelled (aiotools test_aclosing)', async () => {
    let finalized = false;
    async function* myiter() {
      try {
        yield 1;
        await sleep(200);
        yield 10;
        await sleep(200);
        yield 100;
      } catch (error) {
        // Cleanup that awaits must be shielded: the scope stays cancelled (level-triggered).
        const shield = new CancelNode(node, { shield: true });
        await shield.run(() => sleep(200));
        shield.detach();
        finalized = true;
        throw error;
      }
    }
    let sum = 0;
    let detected = false;
    const node = new CancelNode(undefined, { kind: 'task' });
    const task = node.run(async () => {
      try {
        await withContext(aclosing(myiter()), async (agen) => {
          for await (const x of agen) sum += x;
        });
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        detected = true;
      }
    });
    await clock.advance(300);
    node.cancel();
    await clock.runAll();
    await task;
    expect(sum).toBe(11);
    expect(finalized).toBe(true);
    expect(detected).toBe(true);
  });

  it('runs the finally block of a generator abandoned half-way, once', async () => {
    let closed = 0;
    async function* numbers() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed += 1;
      }
    }
    const handle = aclosing(numbers());
    const first = await handle.value.next();
    expect(first.value).toBe(0);
    await handle[Symbol.asyncDispose]();
    await handle[Symbol.asyncDispose]();
    expect(closed).toBe(1);
    expect((await handle.value.next()).done).toBe(true);
  });

  it('accepts iterators without return() and rejects non-objects', async () => {
    const iterator: AsyncIterator<never> = { next: async () => ({ done: true, value: undefined }) };
    const handle = aclosing(iterator);
    await handle[Symbol.asyncDispose]();
    expect(() => aclosing(null as never)).toThrow(TypeError);
    expect(() => aclosing(null as never)).toThrow(
      'Expected `it` to be an async iterator, got `null` (null)',
    );
  });
});

describe('closingAsync', () => {
  it('awaits close() when the block ends, also on error, once', async () => {
    const events: string[] = [];
    const resource = {
      close: async () => {
        events.push('closed');
      },
    };
    const handle = closingAsync(resource);
    expect(handle.value).toBe(resource);
    const error = new Error('boom');
    await expect(
      withContext(handle, (r) => {
        expect(r).toBe(resource);
        throw error;
      }),
    ).rejects.toBe(error);
    await handle[Symbol.asyncDispose]();
    expect(events).toEqual(['closed']);
  });

  it('rejects objects without close()', () => {
    expect(() => closingAsync({} as never)).toThrow(/`obj.close`/);
  });
});
