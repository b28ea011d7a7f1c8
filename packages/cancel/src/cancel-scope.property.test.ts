import { checkpoint } from '@aiotools/core';
import { installVirtualClock, type VirtualClock } from '@aiotools/vclock';
import { propertySettings } from '@aiotools-test/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelScope } from './cancel-scope.js';

let clock: VirtualClock;
beforeEach(() => {
  clock = installVirtualClock({ start: 1000, autojump: false });
});
afterEach(() => clock[Symbol.dispose]());

interface Level {
  readonly shield: boolean;
  /** How the scope gets cancelled: not at all, cancel() before run, cancel() inside its body, or a past deadline. */
  readonly cancel: 'none' | 'before' | 'inside' | 'deadline';
  /** Whether the body of this level catches the first cancellation and waits again. */
  readonly retry: boolean;
}

const level = fc.record({
  shield: fc.boolean(),
  cancel: fc.constantFrom('none', 'before', 'inside', 'deadline'),
  retry: fc.boolean(),
}) as fc.Arbitrary<Level>;

/**
 * The reference model: plain trio rules, computed on the chain of levels (0 = outermost).
 * Returns the index of the scope that catches, or -1 when the innermost wait does not throw, or
 * `levels.length` when nothing catches (the cancellation leaves the outermost scope).
 */
function model(levels: readonly Level[]): number {
  const n = levels.length;
  const cancelled = levels.map((l) => l.cancel !== 'none');
  const effective: boolean[] = [];
  const origin: number[] = []; // which level's reason checkpoints at level i throw
  for (let i = 0; i < n; i++) {
    const visible = i > 0 && effective[i - 1]! && !levels[i]!.shield;
    effective.push(visible || cancelled[i]!);
    origin.push(visible ? origin[i - 1]! : cancelled[i]! ? i : -1);
  }
  if (!effective[n - 1]) return -1;
  let from = origin[n - 1]!;
  for (let i = n - 1; i >= 0; i--) {
    const parentVisible = i > 0 && effective[i - 1]! && !levels[i]!.shield;
    const own = from >= i;
    if (cancelled[i] && !parentVisible && own) return i;
    if (parentVisible && own) from = origin[i - 1]!; // overtaken: leaves as the outer reason
  }
  return n;
}

const settings = propertySettings('cancel-scope catch rule', 300, 20);

describe('CancelScope catch rule (property)', () => {
  it(
    'nested scopes with random shields, cancels and deadlines catch where the trio rules say',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(level, { minLength: 1, maxLength: 5 }), async (levels) => {
          const scopes = levels.map(
            (l) =>
              new CancelScope({ shield: l.shield, deadline: l.cancel === 'deadline' ? 0 : 5000 }),
          );
          levels.forEach((l, i) => {
            if (l.cancel === 'before') scopes[i]!.cancel(`before ${i}`);
          });
          let innermostThrew = false;
          const body = (i: number): Promise<unknown> =>
            scopes[i]!.run(async () => {
              if (levels[i]!.cancel === 'inside') scopes[i]!.cancel(`inside ${i}`);
              if (i + 1 < levels.length) return body(i + 1);
              try {
                await checkpoint();
              } catch (error) {
                innermostThrew = true;
                if (!levels[i]!.retry) throw error;
                await checkpoint(); // level-triggered: throws again
              }
              return 'finished';
            });
          let escaped = false;
          const value = await body(0).catch(() => {
            escaped = true;
          });
          const expected = model(levels);
          const caught = scopes.findIndex((s) => s.cancelledCaught);
          if (expected === -1) {
            expect(innermostThrew).toBe(false);
            expect(value).toBe('finished');
            expect(caught).toBe(-1);
          } else if (expected === levels.length) {
            expect(escaped).toBe(true);
            expect(caught).toBe(-1);
          } else {
            expect(escaped).toBe(false);
            expect(caught).toBe(expected);
            expect(scopes.filter((s) => s.cancelledCaught)).toHaveLength(1);
          }
          expect(clock.pending).toBe(0);
        }),
        { numRuns: settings.numRuns, seed: settings.seed },
      );
    },
    settings.timeout,
  );
});
