import { chainCleanupError } from './suppressed-error.js';

/**
 * The error a cleanup sequence will throw: the first one, then cleanup errors chained on top.
 * A bookkeeping object of `defer` and `adefer`, not an error class: it is never thrown nor
 * exported, only the error it holds is.
 */
export class PendingError {
  #failed = false;
  #error: unknown = undefined;

  add(error: unknown): void {
    this.#error = chainCleanupError(this.#failed, this.#error, error);
    this.#failed = true;
  }

  throwIfAny(): void {
    if (this.#failed) throw this.#error;
  }
}
