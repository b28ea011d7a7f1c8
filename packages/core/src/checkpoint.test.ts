import { describe, expect, it } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { checkpoint } from './checkpoint.js';

describe('checkpoint', () => {
  it('yields one macrotask: an immediate scheduled before it runs first', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    await checkpoint();
    order.push('after checkpoint');
    expect(order).toEqual(['immediate', 'after checkpoint']);
  });

  it('rejects with the reason of a cancelled ambient scope without yielding', async () => {
    const node = new CancelNode(undefined);
    node.cancel('stop');
    const order: string[] = [];
    const handle = setImmediate(() => order.push('immediate'));
    await node.run(() => expect(checkpoint()).rejects.toBe(node.reason));
    clearImmediate(handle);
    expect(order).toEqual([]);
  });

  it('rejects with signal.reason for an aborted signal', async () => {
    const reason = new Error('aborted');
    await expect(checkpoint({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('rejects and clears its immediate when the scope is cancelled while yielding', async () => {
    const node = new CancelNode(undefined);
    const p = node.run(() => checkpoint());
    node.cancel();
    await expect(p).rejects.toBe(node.reason);
  });

  it('throws again at every checkpoint of a cancelled scope (level-triggered)', async () => {
    const node = new CancelNode(undefined);
    let thrown = 0;
    await node.run(async () => {
      await checkpoint();
      node.cancel();
      for (let i = 0; i < 3; i++) {
        try {
          await checkpoint();
        } catch (error) {
          expect(error).toBe(node.reason);
          thrown++;
        }
      }
    });
    expect(thrown).toBe(3);
  });

  it('passes again inside a shield in a cancelled scope', async () => {
    const outer = new CancelNode(undefined);
    const shield = new CancelNode(outer, { shield: true });
    outer.cancel();
    await expect(shield.run(() => checkpoint())).resolves.toBeUndefined();
    shield.detach();
  });

  it('reports invalid options as rejections', async () => {
    await expect(checkpoint({ signal: 1 as never })).rejects.toThrow(/`options.signal`/);
  });
});
