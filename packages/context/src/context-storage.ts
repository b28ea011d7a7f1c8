import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The values of every ContextVar in one execution context: an immutable map, replaced (never
 * mutated) when a variable changes, so that contexts captured earlier keep their values.
 */
export type ContextValues = ReadonlyMap<object, unknown>;

// One AsyncLocalStorage for all variables (the cost of AsyncLocalStorage grows with the number
// of instances on Node 20/22), created only when a value is first set.
let storage: AsyncLocalStorage<ContextValues> | undefined;

/** The storage, created on first use. */
export function contextStorage(): AsyncLocalStorage<ContextValues> {
  storage ??= new AsyncLocalStorage();
  return storage;
}

/** The values of the current context; empty while nothing was ever set. */
export function currentValues(): ContextValues | undefined {
  return storage?.getStore();
}

/** A copy of `values` with `key` set to `value`, or removed when `present` is false. */
export function withValue(
  values: ContextValues | undefined,
  key: object,
  present: boolean,
  value: unknown,
): ContextValues {
  const next = new Map(values);
  if (present) next.set(key, value);
  else next.delete(key);
  return next;
}
