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
 * instances from another installed copy of the package count; subclasses keep the ordinary
 * prototype check. Packages of the family use it for their own error classes.
 *
 * @param self - the class `instanceof` is asked about (`this` in the static method)
 * @param base - the branded class itself
 * @param brand - a `Symbol.for` key that every instance of `base` carries as an own property
 * @param value - the left operand of `instanceof`
 * @returns whether `value` counts as an instance of `self`
 * @example
 * ```ts
 * import { brandedInstanceOf } from '@aiotools/core';
 *
 * const brand = Symbol.for('my-lib.ClosedError');
 * class ClosedError extends Error {
 *   constructor(message?: string) {
 *     super(message);
 *     Object.defineProperty(this, brand, { value: true });
 *   }
 *   static override [Symbol.hasInstance](value: unknown): boolean {
 *     return brandedInstanceOf(this, ClosedError, brand, value);
 *   }
 * }
 * ```
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
