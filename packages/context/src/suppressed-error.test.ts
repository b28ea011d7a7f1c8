import { describe, expect, it, vi } from 'vitest';
import { SuppressedError } from './suppressed-error.js';

describe('SuppressedError', () => {
  it('has the standard shape and name', () => {
    const error = new SuppressedError('new', 'old', 'cleanup failed');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SuppressedError');
    expect(error.error).toBe('new');
    expect(error.suppressed).toBe('old');
    expect(error.message).toBe('cleanup failed');
  });

  it('is recognised by instanceof when created by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('./suppressed-error.js');
    expect(new other.SuppressedError(1, 2)).toBeInstanceOf(SuppressedError);
    expect(new SuppressedError(1, 2)).toBeInstanceOf(other.SuppressedError);
  });

  it('does not match look-alikes that only share the name', () => {
    const fake = Object.assign(new Error('x'), {
      name: 'SuppressedError',
      error: 1,
      suppressed: 2,
    });
    expect(fake instanceof SuppressedError).toBe(false);
  });
});
