import type { Group } from './group.js';

/**
 * A lifetime object backed by a {@link Group} (hat.aio's `Resource`): implement `asyncGroup`
 * and every lifecycle member is delegated to it. Several resources may share one group.
 *
 * @example
 * ```ts
 * import { Group, Resource } from '@aiotools/scope';
 *
 * class Connection extends Resource {
 *   readonly asyncGroup = new Group();
 *   constructor() {
 *     super();
 *     this.asyncGroup.spawn(() => this.#readLoop());
 *   }
 *   async #readLoop() {
 *     // … read until the group is closed
 *   }
 * }
 * await using conn = new Connection();
 * ```
 */
export abstract class Resource implements AsyncDisposable {
  /** The group that owns this resource's tasks. */
  abstract readonly asyncGroup: Group;

  /** The group is neither closing nor closed. */
  get isOpen(): boolean {
    return this.asyncGroup.isOpen;
  }

  /** The group is closing or closed. */
  get isClosing(): boolean {
    return this.asyncGroup.isClosing;
  }

  /** Every task and subgroup of the group has finished after `close()`. */
  get isClosed(): boolean {
    return this.asyncGroup.isClosed;
  }

  /** Starts closing the group. */
  close(): void {
    this.asyncGroup.close();
  }

  /** Closes the group and waits until it is closed. */
  asyncClose(): Promise<void> {
    return this.asyncGroup.asyncClose();
  }

  /** Waits until the group is closing; cancelling the wait cancels nothing else. */
  waitClosing(): Promise<void> {
    return this.asyncGroup.waitClosing();
  }

  /** Waits until the group is closed; cancelling the wait cancels nothing else. */
  waitClosed(): Promise<void> {
    return this.asyncGroup.waitClosed();
  }

  /** `asyncClose()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.asyncGroup.asyncClose();
  }
}
