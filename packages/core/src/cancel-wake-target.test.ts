import { ManualClock } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { CancelNode, type CancelWakeTarget } from './cancel-node.js';
import { installClock } from './install-clock.js';
import { sleep } from './sleep.js';

describe('CancelWakeTarget', () => {
  it('calls the wake method of an object waker once, with the reason', () => {
    const node = new CancelNode(undefined);
    const reasons: unknown[] = [];
    const target: CancelWakeTarget = { wake: (reason) => reasons.push(reason) };
    node.onCancel(target);
    node.cancel('stop');
    node.cancel('again');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBe(node.reason);
  });

  it('does not wake an object waker that was removed', () => {
    const node = new CancelNode(undefined);
    const woken: unknown[] = [];
    const first: CancelWakeTarget = { wake: (reason) => woken.push(['first', reason]) };
    const second: CancelWakeTarget = { wake: (reason) => woken.push(['second', reason]) };
    node.onCancel(first);
    node.onCancel(second);
    node.offCancel(first);
    node.cancel();
    expect(woken).toEqual([['second', node.reason]]);
  });
});

describe('sleep in the ambient scope', () => {
  it('leaves no waker on the node once the timer fired', async () => {
    const clock = new ManualClock();
    using _installed = installClock(clock);
    const node = new CancelNode(undefined);
    const done = node.run(() => sleep(10));
    await clock.advance(10);
    await expect(done).resolves.toBeUndefined();
    // a later cancel finds nothing to wake and the settled sleep stays fulfilled
    node.cancel();
    await expect(done).resolves.toBeUndefined();
  });

  it('clears the timer and rejects with the reason as it is when cancelled while waiting', async () => {
    const clock = new ManualClock();
    using _installed = installClock(clock);
    const node = new CancelNode(undefined);
    const done = node.run(() => sleep(1_000));
    const reason = new Error('stop');
    node.cancel(reason);
    await expect(done).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });
});

describe('sleep with a failing clock', () => {
  it('rejects instead of throwing when the clock cannot set a timer', async () => {
    const failure = new Error('no timers');
    const clock = {
      now: () => 0,
      setTimer: () => {
        throw failure;
      },
      clearTimer: () => undefined,
    };
    using _installed = installClock(clock);
    const node = new CancelNode(undefined);
    let result: Promise<void> | undefined;
    expect(() => {
      result = node.run(() => sleep(10));
    }).not.toThrow();
    await expect(result).rejects.toBe(failure);
  });
});
