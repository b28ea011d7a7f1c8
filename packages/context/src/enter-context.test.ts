import { describe, expect, it } from 'vitest';
import { actxmgr } from './actxmgr.js';
import { enterContext } from './enter-context.js';

describe('enterContext', () => {
  it('enters, exposes the value and exits once on dispose', async () => {
    const log: string[] = [];
    const ctx = actxmgr(async function* () {
      log.push('enter');
      try {
        yield 42;
      } finally {
        log.push('exit');
      }
    });
    {
      await using held = await enterContext(ctx());
      expect(held.value).toBe(42);
      expect(log).toEqual(['enter']);
      await held[Symbol.asyncDispose]();
    }
    expect(log).toEqual(['enter', 'exit']);
  });

  it('cannot see the error of the block: the exit runs as a normal exit', async () => {
    const log: string[] = [];
    const ctx = actxmgr(async function* () {
      try {
        yield;
        log.push('normal exit');
      } catch {
        log.push('saw the error');
      }
    });
    const error = new Error('body');
    await expect(
      (async () => {
        await using _held = await enterContext(ctx());
        throw error;
      })(),
    ).rejects.toBe(error);
    expect(log).toEqual(['normal exit']);
  });

  it('rejects what is not a context manager', async () => {
    await expect(enterContext({} as never)).rejects.toThrow(/`cm`/);
    await expect(enterContext(null as never)).rejects.toThrow(
      'Expected `cm` to be an async context manager (an object with enter() and exit()), got `null` (null)',
    );
  });
});
