import { describe, expect, it, vi } from 'vitest';
import { ContextVar } from './context-var.js';
import { LookupError } from './lookup-error.js';

describe('LookupError', () => {
  it('is what get() throws without a value or a default, with its own name', () => {
    let error: unknown;
    try {
      new ContextVar('user').get();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(LookupError);
    expect(String(error)).toBe(
      "LookupError: ContextVar 'user' has no value in this context and no default",
    );
  });

  it('is recognised by instanceof when created by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('./lookup-error.js');
    expect(other.LookupError).not.toBe(LookupError);
    expect(new other.LookupError('x')).toBeInstanceOf(LookupError);
    expect(new LookupError('x')).toBeInstanceOf(other.LookupError);
  });

  it('does not match look-alikes that only share the name', () => {
    const fake = Object.assign(new Error('x'), { name: 'LookupError' });
    expect(fake instanceof LookupError).toBe(false);
    expect({} instanceof LookupError).toBe(false);
  });
});
