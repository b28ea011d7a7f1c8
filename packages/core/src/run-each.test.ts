import { describe, expect, it } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { currentNode } from './current-node.js';
import { runEach } from './run-each.js';

describe('runEach', () => {
  it('runs each item with its node as the ambient scope, also across awaits', async () => {
    const outer = new CancelNode(undefined);
    const nodes = [1, 2, 3].map(() => new CancelNode(outer));
    const seen: Array<Promise<boolean>> = [];
    outer.run(() => {
      runEach(
        nodes,
        (node) => node,
        (node) => {
          expect(currentNode()).toBe(node);
          seen.push(Promise.resolve().then(() => currentNode() === node));
        },
      );
      expect(currentNode()).toBe(outer);
    });
    expect(await Promise.all(seen)).toEqual([true, true, true]);
  });

  it('restores the caller scope when an item throws', () => {
    const outer = new CancelNode(undefined);
    const inner = new CancelNode(outer);
    outer.run(() => {
      expect(() =>
        runEach(
          [inner],
          (node) => node,
          () => {
            throw new Error('boom');
          },
        ),
      ).toThrow('boom');
      expect(currentNode()).toBe(outer);
    });
  });
});
