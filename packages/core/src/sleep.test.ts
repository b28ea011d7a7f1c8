import { ManualClock } from '@aiotools-test/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { CancelledError } from './cancelled-error.js';
import { installClock } from './install-clock.js';
import { sleep } from './sleep.js';

describe('sleep', () => {
  let clock: ManualClock;
  let installed: Disposable;
  beforeEach(() => {
    clock = new ManualClock();
    installed = installClock(clock);
  });
  afterEach(() => installed[Symbol.dispose]());

  it('resolves after the given time on the current clock', async () => {
    let done = false;
    const p = sleep(100).then(() => {
      done = true;
    });
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
  });

  it('rejects with the ambient scope reason and clears its timer', async () => {
    const node = new CancelNode(undefined);
    const p = node.run(() => sleep(1000));
    expect(clock.pending).toBe(1);
    node.cancel();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect(clock.pending).toBe(0);
  });

  it('rejects with signal.reason as it is', async () => {
    const controller = new AbortController();
    const reason = { why: 'custom' };
    const p = sleep(1000, { signal: controller.signal });
    controller.abort(reason);
    await expect(p).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });

  it('rejects bad durations with a RangeError naming the argument', async () => {
    await expect(sleep(-1)).rejects.toThrow(/`ms`/);
    await expect(sleep(Number.NaN)).rejects.toBeInstanceOf(RangeError);
    await expect(sleep(Number.POSITIVE_INFINITY)).rejects.toBeInstanceOf(RangeError);
    await expect(sleep('1' as unknown as number)).rejects.toBeInstanceOf(TypeError);
  });

  it('is level-triggered inside a cancelled node', async () => {
    const node = new CancelNode(undefined);
    node.cancel('stop');
    await node.run(async () => {
      for (let i = 0; i < 3; i++) await expect(sleep(1)).rejects.toThrow('stop');
    });
  });

  it('rejects at once, without setting a timer, when the signal is already aborted', async () => {
    const reason = new Error('already');
    const p = sleep(1000, { signal: AbortSignal.abort(reason) });
    expect(clock.pending).toBe(0);
    await expect(p).rejects.toBe(reason);
  });

  it('resolves after zero milliseconds', async () => {
    const p = sleep(0);
    await clock.advance(0);
    await expect(p).resolves.toBeUndefined();
  });

  it('keeps its result when the scope is cancelled after the timer fired', async () => {
    const node = new CancelNode(undefined);
    const p = node.run(() => sleep(10));
    await clock.advance(10);
    node.cancel();
    await expect(p).resolves.toBeUndefined();
  });

  it('is cancelled through an outer scope when a shield around it is lowered', async () => {
    const outer = new CancelNode(undefined);
    const shield = new CancelNode(outer, { shield: true });
    const p = shield.run(() => sleep(1000));
    outer.cancel('outer');
    expect(clock.pending).toBe(1);
    shield.shield = false;
    await expect(p).rejects.toBe(outer.reason);
    expect(clock.pending).toBe(0);
  });
});
