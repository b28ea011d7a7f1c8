import { CancelledError, CancelNode } from '@aiotools/core';
import { settle } from '@aiotools-test/testing';
import { describe, expect, it } from 'vitest';
import { Event } from './event.js';

describe('Event', () => {
  it('wakes every waiter on set and stays set until cleared', async () => {
    const event = new Event();
    let woken = 0;
    const waits = [event.wait(), event.wait(), event.wait()].map((p) => p.then(() => woken++));
    await settle(1);
    expect(woken).toBe(0);
    event.set();
    event.set();
    await Promise.all(waits);
    expect(woken).toBe(3);
    expect(event.isSet()).toBe(true);
    await event.wait();
    event.clear();
    expect(event.isSet()).toBe(false);
    let late = false;
    const wait = event.wait().then(() => {
      late = true;
    });
    await settle(1);
    expect(late).toBe(false);
    event.set();
    await wait;
  });

  it('rejects a waiting wait when cancelled, without disturbing the others', async () => {
    const event = new Event();
    const controller = new AbortController();
    const cancelled = event.wait({ signal: controller.signal });
    const other = event.wait();
    controller.abort('stop');
    await expect(cancelled).rejects.toBe('stop');
    event.set();
    await other;
  });

  it('rejects when the ambient scope is cancelled, also when already set (level-triggered)', async () => {
    const event = new Event();
    const node = new CancelNode(undefined);
    const wait = node.run(() => event.wait());
    node.cancel();
    await expect(wait).rejects.toBeInstanceOf(CancelledError);
    event.set();
    await node.run(async () => {
      await expect(event.wait()).rejects.toBeInstanceOf(CancelledError);
    });
  });

  it('resolves a waiter that was woken before its scope was cancelled', async () => {
    const event = new Event();
    const node = new CancelNode(undefined);
    const wait = node.run(() => event.wait());
    event.set();
    node.cancel();
    await expect(wait).resolves.toBeUndefined();
  });

  it('reports bad options as rejections', async () => {
    await expect(new Event().wait(42 as unknown as undefined)).rejects.toBeInstanceOf(TypeError);
  });
});
