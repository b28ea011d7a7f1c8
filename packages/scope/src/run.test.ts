import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CancelledError, currentNode, sleep } from '@aiotools/core';
import { describe, expect, it } from 'vitest';
import { run } from './run.js';

const fixture = fileURLToPath(new URL('../test-fixtures/run-signals.ts', import.meta.url));

describe('run', () => {
  it('cancels main once on the first signal, ignores a second one during cleanup, and removes its handlers', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@aiotools/source', '--import', 'tsx', fixture],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const listeners = new Set<() => void>();
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const listener of listeners) listener();
    });
    const waitFor = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        child.once('exit', () =>
          out.includes(text) ? resolve() : reject(new Error(`exited before "${text}": ${out}`)),
        );
        check();
      });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      await waitFor('ready');
      child.kill('SIGINT');
      await waitFor('cancelled');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(guard);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(out).toBe(
      'ready\ncancelled: Received SIGINT\ncleanup done\nmain rejected with CancelledError\nlisteners 0 0\n',
    );
  });

  it('returns the value of main, runs it in a root scope and cancels that scope afterwards', async () => {
    let inside: ReturnType<typeof currentNode>;
    const value = await run(
      async (signal) => {
        inside = currentNode();
        expect(signal.aborted).toBe(false);
        return 42;
      },
      { signals: false },
    );
    expect(value).toBe(42);
    expect(inside!.cancelled).toBe(true);
    expect(currentNode()).toBeUndefined();
  });

  it('propagates the error of main and validates its arguments', async () => {
    await expect(run(() => Promise.reject(new RangeError('x')), { signals: [] })).rejects.toThrow(
      'x',
    );
    await expect(run(3 as never)).rejects.toThrow(TypeError);
    await expect(run(() => 1, { signals: 'SIGINT' as never })).rejects.toThrow(/options.signals/);
  });

  it('installs handlers only while main runs', async () => {
    const before = process.listenerCount('SIGTERM');
    await run(async () => {
      expect(process.listenerCount('SIGTERM')).toBe(before + 1);
      await sleep(0).catch((e: unknown) => expect(e).toBeInstanceOf(CancelledError));
    });
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
