/** What every shared state object carries: the layout version its copies must agree on. */
export interface SharedState {
  readonly protocol: number;
}

/**
 * The process-wide state of a package, shared by every installed copy of it through one
 * non-enumerable `globalThis` slot under `Symbol.for(packageName + '.state')`: the first copy
 * to load creates it with `create()`, every later copy gets the same object, so two copies (two
 * versions, or a bundled one beside an installed one) agree on what the state holds. A copy
 * whose `protocol` differs from the one already loaded cannot read that state and fails at
 * once with an error that says what to do, instead of misbehaving later.
 *
 * @param packageName - names the slot and the error, e.g. `'my-lib'`
 * @param protocol - the version of the state's layout; bump it with every incompatible change
 * @param create - makes the state when no copy has yet; its `protocol` must be `protocol`
 * @throws `Error` "Two incompatible copies of `packageName` are loaded (state protocol …)"
 *
 * @example
 * ```ts
 * import { sharedState } from '@aiotools/core/internal';
 *
 * const state = sharedState('my-lib', 1, () => ({ protocol: 1, live: new Set<string>() }));
 * state.live.add('job-1'); // seen by every copy of my-lib in the process
 * ```
 */
export function sharedState<T extends SharedState>(
  packageName: string,
  protocol: number,
  create: () => T,
): T {
  const key = Symbol.for(`${packageName}.state`);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = holder[key];
  if (existing !== undefined) {
    if (existing.protocol !== protocol) {
      throw new Error(
        `Two incompatible copies of ${packageName} are loaded (state protocol ${existing.protocol} and ${protocol}); install one version`,
      );
    }
    return existing;
  }
  const state = create();
  Object.defineProperty(holder, key, { value: state, enumerable: false });
  return state;
}
