import type { Guard } from './guard.js';

/** A guard that calls `onRelease` once, on its first `release()`, with its `token`. */
export class PermitGuard<K = undefined> implements Guard {
  private done = false;

  constructor(
    private readonly onRelease: (token: K) => void,
    /** What the guard stands for, e.g. the borrower of a capacity limiter. */
    public token: K,
  ) {}

  get released(): boolean {
    return this.done;
  }

  release(): void {
    if (this.done) return;
    this.done = true;
    this.onRelease(this.token);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
