import { brandedInstanceOf } from '@aiotools/core/internal';

const brand = Symbol.for('@aiotools/scope.GroupClosedError');

/**
 * Thrown by {@link Group.spawn}, {@link Group.wrap} and {@link Group.createSubgroup} once the
 * group is closing or closed.
 *
 * `instanceof GroupClosedError` also recognises instances created by another installed copy of
 * `@aiotools/scope`.
 *
 * @example
 * ```ts
 * import { Group, GroupClosedError } from '@aiotools/scope';
 *
 * const group = new Group();
 * group.close();
 * try {
 *   group.spawn(() => 1);
 * } catch (error) {
 *   console.log(error instanceof GroupClosedError); // true
 * }
 * ```
 */
export class GroupClosedError extends Error {
  override readonly name: string = 'GroupClosedError';
  declare readonly [brand]: true;

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, brand, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return brandedInstanceOf(this, brand, value);
  }
}
