import { CancelledError, CancelNode, sleep } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interval } from './interval.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock();
});
afterEach(() => clock[Symbol.dispose]());

describe('interval', () => {
  it('yields slot numbers on the ideal grid, the first one after one period', async () => {
    const seen: Array<[number, number]> = [];
    for await (const n of interval(100)) {
      seen.push([n, clock.now()]);
      if (n === 3) break;
    }
    expect(seen).toEqual([
      [1, 100],
      [2, 200],
      [3, 300],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('does not drift when the consumer takes time', async () => {
    const seen: number[] = [];
    for await (const n of interval(100)) {
      seen.push(clock.now());
      await sleep(30);
      if (n === 5) break;
    }
    expect(seen).toEqual([100, 200, 300, 400, 500]);
  });

  it('coalesces missed slots into one tick, then goes on on the grid', async () => {
    const seen: Array<[number, number]> = [];
    for await (const n of interval(100)) {
      seen.push([n, clock.now()]);
      if (n === 1) await sleep(350);
      if (seen.length === 4) break;
    }
    expect(seen).toEqual([
      [1, 100],
      [4, 450],
      [5, 500],
      [6, 600],
    ]);
  });

  it('rejects with the signal reason, as it is, when cancelled while waiting', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 250);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const n of interval(100, { signal: controller.signal })) seen.push(n);
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual([1, 2]);
    expect(clock.pending).toBe(0);
  });

  it('rejects at once when already cancelled, and follows the ambient scope', async () => {
    const controller = new AbortController();
    controller.abort('gone');
    await expect(interval(10, { signal: controller.signal }).next()).rejects.toBe('gone');
    const node = new CancelNode(undefined);
    const ticks = node.run(() => interval(10));
    const first = node.run(() => ticks.next());
    node.cancel();
    await expect(first).rejects.toBeInstanceOf(CancelledError);
  });

  it('validates its arguments on the first next()', async () => {
    await expect(interval(0).next()).rejects.toBeInstanceOf(RangeError);
    await expect(interval(0).next()).rejects.toThrow(
      'Expected `ms` to be greater than 0, got `0` (number)',
    );
    await expect(interval('1' as never).next()).rejects.toBeInstanceOf(TypeError);
    await expect(interval(1, { signal: 'x' as never }).next()).rejects.toThrow(/options\.signal/);
  });
});
