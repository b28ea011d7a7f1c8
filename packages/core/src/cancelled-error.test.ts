import { describe, expect, it, vi } from 'vitest';
import { CancelledError } from './cancelled-error.js';
import { isCancellation } from './is-cancellation.js';
import { TimeoutError } from './timeout-error.js';

describe('CancelledError', () => {
  it('has its name, a default message and keeps a given message and cause', () => {
    const plain = new CancelledError();
    expect(plain.name).toBe('CancelledError');
    expect(plain.message).toBe('The operation was cancelled');
    expect(plain).toBeInstanceOf(Error);
    const cause = new Error('root');
    const error = new CancelledError('shutting down', { cause });
    expect(error.message).toBe('shutting down');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe('CancelledError: shutting down');
  });

  it('is recognised by instanceof when created by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('./cancelled-error.js');
    expect(other.CancelledError).not.toBe(CancelledError);
    expect(new other.CancelledError()).toBeInstanceOf(CancelledError);
    expect(new CancelledError()).toBeInstanceOf(other.CancelledError);
  });

  it('does not match look-alikes that only share the name', () => {
    const fake = Object.assign(new Error('x'), { name: 'CancelledError' });
    expect(fake instanceof CancelledError).toBe(false);
    expect({} instanceof CancelledError).toBe(false);
    expect((null as unknown) instanceof CancelledError).toBe(false);
  });

  it('lets a subclass match its own instances only', () => {
    class ShutdownError extends CancelledError {
      override readonly name = 'ShutdownError';
    }
    const shutdown = new ShutdownError('bye');
    expect(shutdown).toBeInstanceOf(ShutdownError);
    expect(shutdown).toBeInstanceOf(CancelledError);
    expect(shutdown.name).toBe('ShutdownError');
    expect(isCancellation(shutdown)).toBe(true);
    expect(new CancelledError() instanceof ShutdownError).toBe(false);
  });

  it('is not a TimeoutError, and a TimeoutError is not a CancelledError', () => {
    expect(new CancelledError() instanceof TimeoutError).toBe(false);
    expect(new TimeoutError() instanceof CancelledError).toBe(false);
  });
});
