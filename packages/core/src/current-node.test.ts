import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { currentNode, nodeOfSignal } from './current-node.js';

describe('currentNode', () => {
  it('is undefined outside every scope', () => {
    expect(currentNode()).toBeUndefined();
  });

  it('is the running node inside run, across awaits and timers', async () => {
    const node = new CancelNode(undefined);
    const seen: (CancelNode | undefined)[] = [];
    await node.run(async () => {
      seen.push(currentNode());
      await Promise.resolve();
      seen.push(currentNode());
      await delay(0);
      seen.push(currentNode());
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          seen.push(currentNode());
          resolve();
        }),
      );
      queueMicrotask(() => seen.push(currentNode()));
      await Promise.resolve();
    });
    expect(seen).toEqual([node, node, node, node, node]);
    expect(currentNode()).toBeUndefined();
  });

  it('gives the innermost node in nested runs and the outer one again afterwards', async () => {
    const outer = new CancelNode(undefined);
    const inner = new CancelNode(outer);
    const seen = await outer.run(async () => {
      const before = currentNode();
      const during = await inner.run(async () => {
        await delay(0);
        return currentNode();
      });
      return [before, during, currentNode()];
    });
    expect(seen).toEqual([outer, inner, outer]);
  });

  it('keeps concurrent runs apart', async () => {
    const a = new CancelNode(undefined);
    const b = new CancelNode(undefined);
    const [seenA, seenB] = await Promise.all([
      a.run(async () => {
        await delay(0);
        return currentNode();
      }),
      b.run(async () => {
        await delay(0);
        return currentNode();
      }),
    ]);
    expect(seenA).toBe(a);
    expect(seenB).toBe(b);
  });
});

describe('nodeOfSignal', () => {
  it('maps the signals a node handed out back to the node, and nothing else', () => {
    const node = new CancelNode(undefined);
    expect(nodeOfSignal(node.signal)).toBe(node);
    expect(nodeOfSignal(new AbortController().signal)).toBeUndefined();
  });

  it('keeps mapping the aborted signal a node replaced after a shield was raised', () => {
    const root = new CancelNode(undefined);
    const node = new CancelNode(root);
    root.cancel();
    const old = node.signal;
    node.shield = true;
    expect(nodeOfSignal(old)).toBe(node);
    expect(nodeOfSignal(node.signal)).toBe(node);
  });
});
