import { invalidType } from '@aiotools/core/internal';
import type { AsyncContextManager } from './async-context-manager.js';
import { validateContextManager } from './validate-context-manager.js';

/**
 * A group of context managers entered and exited together, concurrently. See {@link actxgroup}.
 *
 * @example
 * ```ts
 * import { actxgroup, withContext } from '@aiotools/context';
 *
 * const group = actxgroup();
 * for (const url of urls) group.add(database(url));
 * await withContext(group, async (connections) => {
 *   const live = connections.filter((c) => !(c instanceof Error));
 * });
 * ```
 */
export interface AsyncContextGroup extends AsyncContextManager<unknown[]> {
  /** Adds a manager to the group; only while the group is not entered. */
  add(cm: AsyncContextManager<unknown>): void;
  /**
   * What each member's `exit()` produced at the last exit, in member order: its result
   * (`false`, or `true` when it asked to suppress), the error it threw, or `undefined` for a
   * member whose `enter()` had failed (it is not exited).
   */
  exitStates(): unknown[];
  /** The number of members. */
  readonly size: number;
}

type Outcome = { readonly ok: boolean; readonly value: unknown };

function settle(fn: () => Promise<unknown>): Promise<Outcome> {
  // Calls fn synchronously (so every member starts at once) and turns a synchronous throw
  // into a failed outcome instead of breaking the loop.
  try {
    return fn().then(
      (value) => ({ ok: true, value }),
      (value: unknown) => ({ ok: false, value }),
    );
  } catch (value) {
    return Promise.resolve({ ok: false, value });
  }
}

class ContextGroup implements AsyncContextGroup {
  readonly #members: AsyncContextManager<unknown>[] = [];
  #entered: boolean[] | undefined;
  #exitStates: unknown[] = [];

  constructor(cms: Iterable<AsyncContextManager<unknown>>) {
    for (const cm of cms) this.add(cm);
  }

  get [Symbol.toStringTag](): string {
    return 'AsyncContextGroup';
  }

  get size(): number {
    return this.#members.length;
  }

  add(cm: AsyncContextManager<unknown>): void {
    validateContextManager(cm, 'cm');
    if (this.#entered !== undefined) {
      throw new Error('Cannot add a context manager to an AsyncContextGroup while it is entered');
    }
    this.#members.push(cm);
  }

  exitStates(): unknown[] {
    return [...this.#exitStates];
  }

  async enter(): Promise<unknown[]> {
    if (this.#entered !== undefined) throw new Error('The AsyncContextGroup is already entered');
    const members = [...this.#members];
    this.#entered = [];
    const outcomes = await Promise.all(members.map((cm) => settle(() => cm.enter())));
    this.#entered = outcomes.map((outcome) => outcome.ok);
    return outcomes.map((outcome) => outcome.value);
  }

  async exit(...error: [] | [error: unknown]): Promise<boolean> {
    const entered = this.#entered;
    if (entered === undefined) throw new Error('The AsyncContextGroup is not entered');
    const outcomes = await Promise.all(
      this.#members.map((cm, i) =>
        entered[i] ? settle(() => cm.exit(...error)) : { ok: true, value: undefined },
      ),
    );
    this.#exitStates = outcomes.map((outcome) => outcome.value);
    this.#entered = undefined;
    return false;
  }
}

/**
 * Groups context managers so that one {@link withContext} enters them all concurrently and
 * exits them all concurrently (aiotools' `actxgroup`).
 *
 * Entering never fails as a whole: the body receives one entry per member, in member order,
 * holding the entered value or, for a member whose `enter()` failed, the error it threw (test
 * with `instanceof Error`). Members that failed to enter are not exited. At exit every entered
 * member gets the body's error (or a normal exit); what each exit returned or threw is kept in
 * {@link AsyncContextGroup.exitStates}. The group never suppresses the body's error, even when
 * a member asks to, and never throws an exit error itself.
 *
 * Differences from aiotools: the array handed to the body is not emptied at exit, members
 * whose enter failed are not exited, and `add()` while entered throws.
 *
 * @param cms - the initial members (more can be added with `add()` before entering)
 * @returns a reusable {@link AsyncContextGroup}
 * @throws TypeError when a member is not a context manager
 * @example
 * ```ts
 * import { actxgroup, withContext } from '@aiotools/context';
 *
 * const group = actxgroup(['a', 'b', 'c'].map((name) => database(name)));
 * await withContext(group, async ([a, b, c]) => {
 *   // every connection is open here (or is the error that prevented it)
 * });
 * console.log(group.exitStates());
 * ```
 */
export function actxgroup(cms: Iterable<AsyncContextManager<unknown>> = []): AsyncContextGroup {
  if (typeof (cms as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== 'function') {
    throw invalidType('cms', 'an iterable of context managers', cms);
  }
  return new ContextGroup(cms);
}
