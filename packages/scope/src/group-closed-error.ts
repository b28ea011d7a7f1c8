/**
 * Thrown by {@link Group.spawn}, {@link Group.wrap} and {@link Group.createSubgroup} once the
 * group is closing or closed.
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
}
