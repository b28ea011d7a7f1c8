import { describe, expect, it } from 'vitest';
import { brandedInstanceOf } from './brand.js';

const brand = Symbol.for('test.ClosedError');

class ClosedError extends Error {
  constructor(message?: string) {
    super(message);
    Object.defineProperty(this, brand, { value: true });
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
class SubError extends ClosedError {}

class OldError extends Error {
  constructor() {
    super('old');
    Object.defineProperty(this, brand, { value: true });
  }
  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, OldError, brand, value);
  }
}

describe('brandedInstanceOf', () => {
  it('the base class answers by brand, a subclass by prototype', () => {
    const foreign = Object.assign(new Error('from another copy'), { [brand]: true });
    expect(foreign instanceof ClosedError).toBe(true);
    expect(new Error('plain') instanceof ClosedError).toBe(false);
    expect(new SubError() instanceof ClosedError).toBe(true);
    expect(new SubError() instanceof SubError).toBe(true);
    expect(new ClosedError() instanceof SubError).toBe(false);
    expect(foreign instanceof SubError).toBe(false);
  });

  it('still accepts the form that names the base class', () => {
    expect(Object.assign(new Error(), { [brand]: true }) instanceof OldError).toBe(true);
    expect(new Error() instanceof OldError).toBe(false);
  });

  it('keeps class names in the build: the class is not named in its own body', () => {
    expect(ClosedError.name).toBe('ClosedError');
  });
});
