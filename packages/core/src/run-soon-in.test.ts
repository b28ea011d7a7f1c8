import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { currentNode } from './current-node.js';
import { runSoonIn } from './run-soon-in.js';

describe('runSoonIn', () => {
  it('runs later, in the caller context, with the node ambient; leaks it nowhere', async () => {
    const als = new AsyncLocalStorage<string>();
    const node = new CancelNode(undefined, { kind: 'task' });
    const seen: unknown[] = [];
    als.run('caller', () =>
      runSoonIn(
        node,
        (arg) => {
          seen.push(arg, als.getStore(), currentNode() === node);
        },
        7,
      ),
    );
    expect(seen).toEqual([]);
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual([7, 'caller', true]);
    expect(currentNode()).toBeUndefined();
  });

  it('reports an error of fn as an uncaught exception, not a rejection', async () => {
    const errors: unknown[] = [];
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      const boom = new Error('boom');
      runSoonIn(
        new CancelNode(undefined),
        () => {
          throw boom;
        },
        undefined,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).toEqual([boom]);
    } finally {
      process.off('uncaughtException', onError);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
  });
});
