import type { Guard } from './guard.js';

/** A guard that calls `onRelease` once, on its first `release()`, with its `token`. */
export class PermitGuard<K = undefined> implements Guard {
  #done = false;
  readonly #onRelease: (token: K) => void;
  /** What the guard stands for, e.g. the borrower of a capacity limiter. */
  token: K;

  constructor(onRelease: (token: K) => void, token: K) {
    this.#onRelease = onRelease;
    this.token = token;
  }

  get released(): boolean {
    return this.#done;
  }

  release(): void {
    if (this.#done) return;
    this.#done = true;
    this.#onRelease(this.token);
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
