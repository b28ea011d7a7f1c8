// 1M items through a queue: one producer and one consumer, or 8 of each, on a bounded (1024)
// and an unbounded queue. @aiotools/sync's Queue beside a minimal hand-written promise queue
// (the floor, baseline) and Effect's Queue, each driven the way its users write it.
import { Queue } from '@aiotools/sync';
import { Effect, Queue as EffectQueue, Fiber } from 'effect';
import { FloorQueue } from './floor-queue.mjs';

const ITEMS = 1_000_000;

function expectedSum() {
  return (ITEMS * (ITEMS - 1)) / 2;
}

// Producer p puts p, p + producers, p + 2·producers, …; each consumer takes its share.
async function promiseRun(queue, producers, consumers) {
  const work = [];
  for (let p = 0; p < producers; p++) {
    work.push(
      (async () => {
        for (let i = p; i < ITEMS; i += producers) await queue.put(i);
        return 0;
      })(),
    );
  }
  for (let c = 0; c < consumers; c++) {
    const share = Math.floor(ITEMS / consumers) + (c < ITEMS % consumers ? 1 : 0);
    work.push(
      (async () => {
        let sum = 0;
        for (let n = 0; n < share; n++) sum += await queue.get();
        return sum;
      })(),
    );
  }
  const sums = await Promise.all(work);
  return sums.reduce((a, b) => a + b, 0);
}

function effectRun(capacity, producers, consumers) {
  const program = Effect.gen(function* () {
    const queue =
      capacity === 0 ? yield* EffectQueue.unbounded() : yield* EffectQueue.bounded(capacity);
    const fibers = [];
    for (let p = 0; p < producers; p++) {
      fibers.push(
        yield* Effect.forkChild(
          Effect.gen(function* () {
            for (let i = p; i < ITEMS; i += producers) yield* EffectQueue.offer(queue, i);
            return 0;
          }),
        ),
      );
    }
    for (let c = 0; c < consumers; c++) {
      const share = Math.floor(ITEMS / consumers) + (c < ITEMS % consumers ? 1 : 0);
      fibers.push(
        yield* Effect.forkChild(
          Effect.gen(function* () {
            let sum = 0;
            for (let n = 0; n < share; n++) sum += yield* EffectQueue.take(queue);
            return sum;
          }),
        ),
      );
    }
    const sums = yield* Fiber.joinAll(fibers);
    return sums.reduce((a, b) => a + b, 0);
  });
  return Effect.runPromise(program);
}

const check = (sum) => {
  if (sum !== expectedSum()) throw new Error(`lost or duplicated items: sum ${sum}`);
};

const shapes = [
  { label: 'bounded 1024, 1→1', capacity: 1024, producers: 1, consumers: 1 },
  { label: 'unbounded, 1→1', capacity: 0, producers: 1, consumers: 1 },
  { label: 'bounded 1024, 8→8', capacity: 1024, producers: 8, consumers: 8 },
  { label: 'unbounded, 8→8', capacity: 0, producers: 8, consumers: 8 },
];

export const cases = shapes.flatMap(({ label, capacity, producers, consumers }) => [
  {
    name: `floor promise queue (${label})`,
    group: label,
    baseline: true,
    run: () =>
      promiseRun(new FloorQueue(capacity === 0 ? undefined : capacity), producers, consumers),
    check,
  },
  {
    name: `@aiotools/sync Queue (${label})`,
    group: label,
    run: () => promiseRun(new Queue(capacity), producers, consumers),
    check,
  },
  {
    name: `effect Queue (${label})`,
    group: label,
    run: () => effectRun(capacity, producers, consumers),
    check,
  },
]);
