import { checkpoint, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';
import { shield } from './shield.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

describe('shield', () => {
  it('returns the value of the protected work', async () => {
    await expect(shield(async () => 'value')).resolves.toBe('value');
  });

  it('lets the work finish while the enclosing scope is cancelled; the cancellation hits after it', async () => {
    const trace: string[] = [];
    const outer = new CancelScope();
    let signal: AbortSignal | undefined;
    const p = outer.run(async () => {
      const value = await shield(async (s) => {
        signal = s;
        await sleep(50);
        trace.push(`shielded work done at ${clock.now()}`);
        return 'kept';
      });
      trace.push(`got ${value}`);
      await checkpoint();
      trace.push('unreachable');
    });
    await clock.advance(10);
    outer.cancel();
    expect(signal?.aborted).toBe(false);
    await clock.advance(100);
    await p;
    expect(trace).toEqual(['shielded work done at 50', 'got kept']);
    expect(outer.cancelledCaught).toBe(true);
  });

  it('protects work started when the scope is already cancelled', async () => {
    const outer = new CancelScope();
    outer.cancel();
    const p = outer.run(() => shield(() => sleep(10).then(() => 'done')));
    await clock.advance(10);
    await expect(p).resolves.toBe('done');
  });

  it('propagates the error of the work', async () => {
    const failure = new Error('failed');
    await expect(
      shield(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('rejects a non-function with a TypeError', async () => {
    await expect(shield(1 as unknown as () => Promise<void>)).rejects.toThrow(/`fn`/);
  });
});
