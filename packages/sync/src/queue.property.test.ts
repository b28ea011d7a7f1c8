import { propertySettings, settle } from '@aiotools-test/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Queue } from './queue.js';

type Op =
  | { readonly kind: 'putNowait' | 'getNowait' | 'put' | 'get' | 'close' }
  | { readonly kind: 'cancel'; readonly index: number }
  | { readonly kind: 'yield'; readonly turns: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.constantFrom<Op>(
      { kind: 'putNowait' },
      { kind: 'getNowait' },
      { kind: 'put' },
      { kind: 'get' },
    ),
    weight: 8,
  },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat() }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('yield' as const),
      turns: fc.integer({ min: 1, max: 2 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant<Op>({ kind: 'close' }), weight: 1 },
);

interface Pending {
  readonly controller: AbortController;
  settled: boolean;
}

// The model: items that got in (a put resolved or a putNowait returned) enter the queue in
// the order of the calls, because waiting putters are served FIFO and nobody overtakes them;
// successful gets, in the order of the calls, receive exactly that sequence, and what is
// left is drained after close. Cancelled or refused puts never show up; nothing is lost or
// delivered twice; the size never exceeds maxsize.
const settings = propertySettings('queue model', 300, 20);

describe('Queue against a model', () => {
  it(
    'delivers every accepted item once, in order, under random puts, gets, cancels and close',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 3 }),
          fc.array(op, { maxLength: 40 }),
          async (maxsize, ops) => {
            const queue = new Queue<number>(maxsize);
            let nextItem = 0;
            let nextGet = 0;
            const accepted: number[] = [];
            const received = new Map<number, number>();
            const pending: Pending[] = [];
            // Starts a waiting call with its own AbortController and records how it settles.
            const start = (
              call: (signal: AbortSignal) => Promise<unknown>,
              onValue: (value: unknown) => void,
            ) => {
              const entry: Pending = { controller: new AbortController(), settled: false };
              pending.push(entry);
              call(entry.controller.signal).then(
                (value) => {
                  entry.settled = true;
                  onValue(value);
                },
                () => {
                  entry.settled = true;
                },
              );
            };
            for (const step of ops) {
              switch (step.kind) {
                case 'putNowait': {
                  const item = nextItem++;
                  try {
                    queue.putNowait(item);
                    accepted.push(item);
                  } catch {}
                  break;
                }
                case 'getNowait': {
                  const call = nextGet++;
                  try {
                    received.set(call, queue.getNowait());
                  } catch {}
                  break;
                }
                case 'put': {
                  const item = nextItem++;
                  start(
                    (signal) => queue.put(item, { signal }),
                    () => accepted.push(item),
                  );
                  break;
                }
                case 'get': {
                  const call = nextGet++;
                  start(
                    (signal) => queue.get({ signal }),
                    (value) => received.set(call, value as number),
                  );
                  break;
                }
                case 'cancel':
                  if (pending.length > 0) pending[step.index % pending.length]!.controller.abort();
                  break;
                case 'yield':
                  for (let i = 0; i < step.turns; i++) await Promise.resolve();
                  break;
                case 'close':
                  queue.close();
                  break;
              }
              if (maxsize > 0) expect(queue.qsize()).toBeLessThanOrEqual(maxsize);
            }
            queue.close();
            await settle(2);
            const drained: number[] = [];
            while (!queue.empty()) drained.push(queue.getNowait());
            await settle(2);
            expect(pending.every((entry) => entry.settled)).toBe(true);
            accepted.sort((a, b) => a - b);
            const delivered = [...received.entries()]
              .sort((a, b) => a[0] - b[0])
              .map(([, item]) => item);
            expect([...delivered, ...drained]).toEqual(accepted);
          },
        ),
        {
          numRuns: settings.numRuns,
          seed: settings.seed,
          examples: [
            [
              0,
              [
                { kind: 'get' },
                { kind: 'get' },
                { kind: 'putNowait' },
                { kind: 'cancel', index: 0 },
              ],
            ],
            [
              1,
              [
                { kind: 'putNowait' },
                { kind: 'put' },
                { kind: 'put' },
                { kind: 'getNowait' },
                { kind: 'cancel', index: 0 },
              ],
            ],
          ],
        },
      );
    },
    settings.timeout,
  );
});
