import { describe, expect, it } from 'vitest';
import { LoopLimitError } from './loop-limit-error.js';

describe('LoopLimitError', () => {
  it('carries the limit, the virtual time and the kind, and names itself', () => {
    const spin = new LoopLimitError(1000, 42);
    expect(spin).toBeInstanceOf(Error);
    expect(spin).toMatchObject({ name: 'LoopLimitError', limit: 1000, time: 42, kind: 'spin' });
    expect(spin.message).toMatch(
      /fired 1000 timers without virtual time moving \(virtual time 42\)/,
    );
    const runAll = new LoopLimitError(5, 7, 'runAll');
    expect(runAll.kind).toBe('runAll');
    expect(runAll.message).toMatch(/^VirtualClock\.runAll\(\) fired 5 timers/);
  });

  it('recognises an instance of another installed copy by its brand', () => {
    const foreign = new Error('from another copy');
    Object.defineProperty(foreign, Symbol.for('@aiotools/vclock.LoopLimitError'), { value: true });
    expect(foreign instanceof LoopLimitError).toBe(true);
    expect(new Error('plain') instanceof LoopLimitError).toBe(false);
    class Sub extends LoopLimitError {}
    expect(new Sub(1, 0) instanceof LoopLimitError).toBe(true);
    expect(new LoopLimitError(1, 0) instanceof Sub).toBe(false);
  });
});
