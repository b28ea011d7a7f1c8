/**
 * Cross-copy identity for error classes: two installed copies of `@aiotools/core` create
 * distinct classes, so `instanceof` alone would disagree. Each class stamps its instances
 * with a `Symbol.for` key, and its `Symbol.hasInstance` checks the stamp.
 */
export function brandOf(name: string): symbol {
  return Symbol.for(`@aiotools/core.${name}`);
}

/** True when `value` is an object stamped with `brand`. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * The body of a branded `static [Symbol.hasInstance]`: the base class answers by brand, so
 * instances from another copy count; subclasses keep the ordinary prototype check.
 */
export function brandedInstanceOf(
  self: Function,
  base: Function,
  brand: symbol,
  value: unknown,
): boolean {
  if (self === base) return hasBrand(value, brand);
  return Function.prototype[Symbol.hasInstance].call(self, value);
}
