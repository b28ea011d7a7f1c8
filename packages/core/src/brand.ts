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
 * The body of a branded `static [Symbol.hasInstance]`: the base class (the one that defines
 * the method) answers by brand, so instances from another installed copy of the package
 * count; subclasses keep the ordinary prototype check. Packages of the family use it for their
 * own error classes. The class is not named in its own body, so a bundler keeps its name.
 *
 * @param self - the class `instanceof` is asked about (`this` in the static method)
 * @param brand - a `Symbol.for` key that every instance of the branded class carries as an own
 * property
 * @param value - the left operand of `instanceof`
 * @returns whether `value` counts as an instance of `self`
 * @example
 * ```ts
 * import { brandedInstanceOf } from '@aiotools/core/internal';
 *
 * const brand = Symbol.for('my-lib.ClosedError');
 * class ClosedError extends Error {
 *   constructor(message?: string) {
 *     super(message);
 *     Object.defineProperty(this, brand, { value: true });
 *   }
 *   static override [Symbol.hasInstance](value: unknown): boolean {
 *     return brandedInstanceOf(this, brand, value);
 *   }
 * }
 * ```
 */
export function brandedInstanceOf(self: Function, brand: symbol, value: unknown): boolean;
/**
 * The earlier form, naming the branded class itself as `base`: still accepted.
 *
 * @example
 * ```ts
 * import { brandedInstanceOf } from '@aiotools/core/internal';
 *
 * const brand = Symbol.for('my-lib.OldError');
 * class OldError extends Error {
 *   static override [Symbol.hasInstance](value: unknown): boolean {
 *     return brandedInstanceOf(this, OldError, brand, value);
 *   }
 * }
 * ```
 */
export function brandedInstanceOf(
  self: Function,
  base: Function,
  brand: symbol,
  value: unknown,
): boolean;
export function brandedInstanceOf(
  self: Function,
  baseOrBrand: Function | symbol,
  brandOrValue: unknown,
  value?: unknown,
): boolean {
  if (typeof baseOrBrand === 'symbol') {
    if (Object.hasOwn(self, Symbol.hasInstance)) return hasBrand(brandOrValue, baseOrBrand);
    return Function.prototype[Symbol.hasInstance].call(self, brandOrValue);
  }
  if (self === baseOrBrand) return hasBrand(value, brandOrValue as symbol);
  return Function.prototype[Symbol.hasInstance].call(self, value);
}
