import { type CancelledError, CancelNode } from '@aiotools/core';
import { callOnCancel, callOnDone, lruCache } from '@aiotools/func';
import { aiter, first } from '@aiotools/iter';
import { log, title } from '../log.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** lruCache, callOnCancel/callOnDone, aiter and first. */
export async function funcStop(): Promise<void> {
  title('func and iter: async LRU cache, callbacks on cancel/done, aiter, first');

  let computations = 0;
  const square = lruCache(
    async (n: number) => {
      computations += 1;
      await tick();
      return n * n;
    },
    { maxsize: 2 },
  );
  const caller = new CancelNode(undefined, { name: 'impatient caller' });
  const abandoned = caller.run(() => square(7)).catch((error: unknown) => error);
  caller.cancel();
  const shared = await Promise.all([square(7), square(7)]);
  const reason = await abandoned;
  log(
    `square(7) by 3 callers (1 cancelled) -> ${shared.join(', ')}; computations: ${computations}`,
  );
  log(`the cancelled caller got ${(reason as CancelledError).name}; the computation went on`);
  log(`cacheInfo: ${JSON.stringify(square.cacheInfo())}`);

  const task = new CancelNode(undefined, { kind: 'task', name: 'worker' });
  const onCancel = task.run(() => callOnCancel((what: string) => `closed ${what}`, 'connection'));
  task.cancel();
  log(`callOnCancel resolved: ${await onCancel}`);

  const done = callOnDone(
    Promise.reject(new Error('ignored')),
    () => 'ran after the promise settled',
  );
  log(`callOnDone: ${await done}`);

  let n = 0;
  const counted: number[] = [];
  for await (const x of aiter(async () => ++n, 4)) counted.push(x);
  log(`aiter(fn, 4) yielded ${counted.join(', ')}`);

  async function* numbers() {
    try {
      for (let i = 0; ; i++) yield i;
    } finally {
      log('first() closed the endless generator');
    }
  }
  log(`first even > 4: ${await first(numbers(), (x) => x > 4 && x % 2 === 0)}`);
}
