import {
  invalidType,
  validateFunction,
  validateInstanceOf,
  validateOptions,
} from '@aiotools/core/internal';
import { contextStorage, currentValues, withValue } from './context-storage.js';
import { LookupError } from './lookup-error.js';

/** Options of {@link ContextVar}. */
export interface ContextVarOptions<T> {
  /** What `get()` returns where no value was set. Without it, `get()` throws a LookupError. */
  readonly default?: T;
}

/** Tokens already passed to `reset()`. */
const usedTokens = new WeakSet<object>();

/**
 * The key `ContextVar.set` hands the token constructor: a symbol only this module holds, so
 * that tokens come from `set()` alone and `reset()` can trust what one holds.
 */
const issueKey: unique symbol = Symbol('ContextVarToken');

/** How `set()` reaches the private constructor of {@link ContextVarToken}. */
type TokenConstructor = new <T>(
  key: typeof issueKey,
  variable: ContextVar<T>,
  hadValue: boolean,
  oldValue: T | undefined,
) => ContextVarToken<T>;

/**
 * Returned by {@link ContextVar.set}; pass it to {@link ContextVar.reset} to restore the value
 * the variable had before that `set`. A token can be used once. Tokens come from `set()`
 * only: the class is exported for `instanceof` and types, and constructing one throws.
 *
 * @example
 * ```ts
 * import { ContextVar } from '@aiotools/context';
 *
 * const level = new ContextVar('level', { default: 0 });
 * const token = level.set(1);
 * try {
 *   runSynchronousStep();
 * } finally {
 *   level.reset(token);
 * }
 * ```
 */
export class ContextVarToken<T> {
  /** The variable the token belongs to. */
  readonly var: ContextVar<T>;
  /** Whether the variable had a value before the `set`. */
  readonly hadValue: boolean;
  /** The value before the `set` (`undefined` when there was none). */
  readonly oldValue: T | undefined;

  /**
   * Not callable: tokens are made by {@link ContextVar.set}.
   *
   * @throws TypeError always, when called from outside the package
   */
  private constructor(
    key: typeof issueKey,
    variable: ContextVar<T>,
    hadValue: boolean,
    oldValue: T | undefined,
  ) {
    if (key !== issueKey) {
      throw new TypeError('A ContextVarToken cannot be constructed: ContextVar.set() returns one');
    }
    this.var = variable;
    this.hadValue = hadValue;
    this.oldValue = oldValue;
  }
}

/**
 * A context-local variable, Python's `contextvars.ContextVar`, built on Node's
 * `AsyncLocalStorage`: a value given with {@link ContextVar.run} is seen by everything `fn`
 * does, synchronously or asynchronously (callbacks, promises, timers started inside), and by
 * nothing outside. Concurrent runs each see their own value.
 *
 * All variables share one AsyncLocalStorage, created when a value is first set: a program that
 * only reads defaults pays nothing. On Node 20/22 an active AsyncLocalStorage makes
 * await-heavy code noticeably slower (about 2×); Node 24 removes that cost.
 *
 * `run()` is the sound way to scope a value. {@link ContextVar.set} exists for the top of an
 * entry point and for synchronous spans; see its caveat.
 *
 * @example
 * ```ts
 * import { ContextVar } from '@aiotools/context';
 *
 * const requestId = new ContextVar<string>('requestId', { default: '-' });
 *
 * server.on('request', (req, res) => {
 *   requestId.run(crypto.randomUUID(), () => handle(req, res));
 * });
 * function log(message: string) {
 *   console.log(`[${requestId.get()}] ${message}`);
 * }
 * ```
 */
export class ContextVar<T> {
  /** The name, for diagnostics. */
  readonly name: string;
  readonly #hasDefault: boolean;
  readonly #default: T | undefined;

  /**
   * @param name - a name for diagnostics
   * @param options - `default`: the value where none was set (an explicit `undefined` counts)
   * @throws TypeError when `name` is not a string or `options` not an object
   */
  constructor(name: string, options?: ContextVarOptions<T>) {
    if (typeof name !== 'string') throw invalidType('name', 'a string', name);
    validateOptions(options, 'options');
    this.name = name;
    this.#hasDefault = options !== undefined && 'default' in options;
    this.#default = options?.default;
  }

  get [Symbol.toStringTag](): string {
    return `ContextVar ${this.name}`;
  }

  /**
   * The value in the current context, else the default.
   *
   * @throws LookupError when there is neither
   */
  get(): T {
    const values = currentValues();
    if (values?.has(this)) return values.get(this) as T;
    if (this.#hasDefault) return this.#default as T;
    throw new LookupError(`ContextVar '${this.name}' has no value in this context and no default`);
  }

  /** Whether a value (not the default) is set in the current context. */
  has(): boolean {
    return currentValues()?.has(this) ?? false;
  }

  /**
   * Runs `fn` with the variable set to `value` for everything `fn` does, synchronously and
   * asynchronously; the caller's value is untouched.
   *
   * @returns what `fn` returns
   * @throws TypeError when `fn` is not a function
   */
  run<R>(value: T, fn: () => R): R {
    validateFunction(fn, 'fn');
    return contextStorage().run(withValue(currentValues(), this, true, value), fn);
  }

  /**
   * Sets the value for the rest of the current execution and everything it starts from now
   * on (AsyncLocalStorage's `enterWith`), and returns a token for {@link ContextVar.reset}.
   *
   * Caveat, unlike Python: JavaScript has no task that owns a context. Called inside an async
   * function, the new value also leaks to the caller, which continues in the same execution
   * after the callee's first `await`, and a later `reset()` in the callee cannot undo that.
   * Use `set()` at the top of an entry point (the start of a process, or inside a `run()`), or
   * reset it before the next `await`; scope values across awaits with {@link ContextVar.run}.
   */
  set(value: T): ContextVarToken<T> {
    const values = currentValues();
    const hadValue = values?.has(this) ?? false;
    const token = new (ContextVarToken as unknown as TokenConstructor)(
      issueKey,
      this,
      hadValue,
      values?.get(this) as T | undefined,
    );
    contextStorage().enterWith(withValue(values, this, true, value));
    return token;
  }

  /**
   * Restores the value the variable had before the `set()` that returned `token` (or unsets
   * it), in the current execution; other variables are left alone.
   *
   * @throws TypeError when `token` is not a token of this variable; Error when it was used already
   */
  reset(token: ContextVarToken<T>): void {
    validateInstanceOf(token, [ContextVarToken], 'token');
    if (token.var !== this) {
      throw new TypeError(`The token was not created by ContextVar '${this.name}'`);
    }
    if (usedTokens.has(token)) throw new Error('The ContextVar token has already been used');
    usedTokens.add(token);
    contextStorage().enterWith(withValue(currentValues(), this, token.hadValue, token.oldValue));
  }
}
