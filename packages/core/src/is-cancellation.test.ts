import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError } from './cancelled-error.js';
import { isCancellation } from './is-cancellation.js';
import { TimeoutError } from './timeout-error.js';

describe('isCancellation', () => {
  it('is true for a CancelledError, also from another copy of core', async () => {
    expect(isCancellation(new CancelledError())).toBe(true);
    vi.resetModules();
    const other = await import('./cancelled-error.js');
    expect(isCancellation(new other.CancelledError())).toBe(true);
  });

  it('is true for a DOMException named AbortError, and the reason of AbortSignal.abort()', () => {
    expect(isCancellation(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isCancellation(AbortSignal.abort().reason)).toBe(true);
  });

  it("is true for Node's AbortError (code ABORT_ERR)", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await delay(10, undefined, { signal: controller.signal }).catch((e) => e);
    expect((error as { code?: string }).code).toBe('ABORT_ERR');
    expect(isCancellation(error)).toBe(true);
  });

  it('is false for timeouts, plain errors, primitives, null and undefined', () => {
    expect(isCancellation(new TimeoutError())).toBe(false);
    expect(isCancellation(new DOMException('t', 'TimeoutError'))).toBe(false);
    expect(isCancellation(new Error('boom'))).toBe(false);
    expect(isCancellation(AbortSignal.abort(new Error('custom')).reason)).toBe(false);
    for (const value of ['AbortError', 0, true, Symbol('x'), null, undefined]) {
      expect(isCancellation(value)).toBe(false);
    }
  });
});
