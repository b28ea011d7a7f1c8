import { describe, expect, it, vi } from 'vitest';
import { isCancellation } from './is-cancellation.js';
import { TimeoutError } from './timeout-error.js';

describe('TimeoutError', () => {
  it('has its name, a default message and keeps a given message and cause', () => {
    const plain = new TimeoutError();
    expect(plain.name).toBe('TimeoutError');
    expect(plain.message).toBe('The operation timed out');
    expect(plain).toBeInstanceOf(Error);
    const cause = new Error('deadline');
    const error = new TimeoutError('too slow', { cause });
    expect(error.message).toBe('too slow');
    expect(error.cause).toBe(cause);
  });

  it('is not a cancellation', () => {
    expect(isCancellation(new TimeoutError())).toBe(false);
  });

  it('is recognised by instanceof when created by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('./timeout-error.js');
    expect(other.TimeoutError).not.toBe(TimeoutError);
    expect(new other.TimeoutError()).toBeInstanceOf(TimeoutError);
    expect(new TimeoutError()).toBeInstanceOf(other.TimeoutError);
  });

  it('does not match the DOMException of AbortSignal.timeout, which shares its name', () => {
    const domTimeout = new DOMException('timed out', 'TimeoutError');
    expect(domTimeout instanceof TimeoutError).toBe(false);
  });

  it('lets a subclass match its own instances only', () => {
    class DeadlineError extends TimeoutError {}
    expect(new DeadlineError()).toBeInstanceOf(TimeoutError);
    expect(new TimeoutError() instanceof DeadlineError).toBe(false);
  });
});
