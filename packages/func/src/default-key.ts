// Identity numbers for objects, functions and unique symbols: keyed by identity, never by
// content, and never keeping the object alive.
const ids = new WeakMap<object | symbol, number>();
let nextId = 0;

function identity(value: object | symbol): string {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return `#${id}`;
}

function encode(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // String() already maps -0 to "0" and NaN to "NaN": SameValueZero, as Map keys compare.
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'symbol': {
      const registered = Symbol.keyFor(value);
      return registered === undefined ? identity(value) : `@${JSON.stringify(registered)}`;
    }
    default:
      return value === null ? 'null' : identity(value as object);
  }
}

/**
 * The default cache key of `lruCache`: one string for the whole argument list. Primitives
 * are encoded by value (`1` and `'1'` differ; `0`/`-0` and `NaN` follow SameValueZero);
 * objects, arrays, functions and unique symbols by identity; the number of arguments counts
 * (`f(1)` and `f(1, undefined)` differ).
 */
export function defaultKey(args: readonly unknown[]): string {
  if (args.length === 1) return encode(args[0]);
  let key = '';
  for (let i = 0; i < args.length; i++) key += i === 0 ? encode(args[i]) : `,${encode(args[i])}`;
  return `(${key})`;
}
