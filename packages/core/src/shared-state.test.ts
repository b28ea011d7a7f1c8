import { describe, expect, it } from 'vitest';
import { sharedState } from './shared-state.js';

describe('sharedState', () => {
  it('creates the state once, in a non-enumerable globalThis slot, and hands every copy the same', () => {
    let made = 0;
    const create = () => {
      made++;
      return { protocol: 3, items: [] as string[] };
    };
    const first = sharedState('@aiotools-test/shared-a', 3, create);
    const second = sharedState('@aiotools-test/shared-a', 3, create);
    expect(second).toBe(first);
    expect(made).toBe(1);
    const slot = Object.getOwnPropertyDescriptor(
      globalThis,
      Symbol.for('@aiotools-test/shared-a.state'),
    );
    expect(slot?.value).toBe(first);
    expect(slot?.enumerable).toBe(false);
  });

  it('refuses a copy of another protocol, with an error that says what to do', () => {
    sharedState('@aiotools-test/shared-b', 1, () => ({ protocol: 1 }));
    expect(() => sharedState('@aiotools-test/shared-b', 2, () => ({ protocol: 2 }))).toThrow(
      new Error(
        'Two incompatible copies of @aiotools-test/shared-b are loaded (state protocol 1 and 2); install one version',
      ),
    );
  });
});
