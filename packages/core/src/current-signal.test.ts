import { describe, expect, it, vi } from 'vitest';
import { CancelNode } from './cancel-node.js';
import { currentSignal } from './current-signal.js';

describe('currentSignal', () => {
  it('is one signal that never aborts outside every scope', () => {
    const signal = currentSignal();
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal.aborted).toBe(false);
    expect(currentSignal()).toBe(signal);
  });

  it('does not warn when many callers listen to the top-level signal', async () => {
    const signal = currentSignal();
    const warning = vi.fn();
    const listeners = Array.from({ length: 20 }, () => () => {});
    process.on('warning', warning);
    try {
      for (const listener of listeners) signal.addEventListener('abort', listener);
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warning);
      for (const listener of listeners) signal.removeEventListener('abort', listener);
    }
    expect(warning).not.toHaveBeenCalled();
  });

  it("is the innermost node's own signal inside run, across awaits", async () => {
    const outer = new CancelNode(undefined);
    const inner = new CancelNode(outer);
    await outer.run(async () => {
      expect(currentSignal()).toBe(outer.signal);
      await inner.run(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        expect(currentSignal()).toBe(inner.signal);
      });
      expect(currentSignal()).toBe(outer.signal);
    });
  });

  it('aborts with the reason when the scope is cancelled', () => {
    const node = new CancelNode(undefined);
    const signal = node.run(() => currentSignal());
    node.cancel('stop');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(node.reason);
  });
});
