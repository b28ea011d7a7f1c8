import { AsyncLocalStorage } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  it('leaks nothing into the caller when it is the first use of the ambient scope in a process', () => {
    // Only a fresh process has no AsyncLocalStorage yet; on Node 20 and 22 entering the node in
    // a reaction registered before the storage existed used to leak it into the caller's next
    // continuation (a timer created first thing made its task the caller's ambient scope).
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const script = `
      const { CancelNode } = await import(${JSON.stringify(`${dir}cancel-node.ts`)});
      const { currentNode } = await import(${JSON.stringify(`${dir}current-node.ts`)});
      const { runSoonIn } = await import(${JSON.stringify(`${dir}run-soon-in.ts`)});
      const node = new CancelNode(undefined, { kind: 'task' });
      let ran = false;
      runSoonIn(node, () => { ran = currentNode() === node; }, undefined);
      await new Promise((resolve) => setTimeout(resolve, 1));
      console.log(JSON.stringify({ ran, after: currentNode() === undefined }));
    `;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: root, encoding: 'utf8', timeout: 15_000 },
    );
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ ran: true, after: true });
  });
});
