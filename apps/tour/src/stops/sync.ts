import { CancelledError } from '@aiotools/core';
import { Lock, Queue, QueueClosedError, Semaphore } from '@aiotools/sync';
import { log, title } from '../log.js';

/** A closable queue between a producer and consumers, a lock with `using`, cancellable waits. */
export async function syncStop(): Promise<void> {
  title('sync: closable Queue, Lock with using, cancellable waits');

  const queue = new Queue<number>(2);
  const producer = (async () => {
    for (let i = 1; i <= 5; i++) await queue.put(i);
    queue.close();
    log('producer: put 1..5 into a queue of maxsize 2, then closed it');
  })();
  const consumer = async (name: string) => {
    const got: number[] = [];
    for await (const item of queue) got.push(item);
    return `${name} got [${got.join(', ')}]`;
  };
  for (const line of await Promise.all([consumer('consumer A'), consumer('consumer B')])) log(line);
  await producer;
  await queue.put(6).catch((error) => log(`put after close: ${(error as Error).name}`));
  log(`queue is closed: ${queue.isClosed}, ${queue.qsize()} items left`);

  const lock = new Lock();
  const order: string[] = [];
  const critical = async (name: string) => {
    using _ = await lock.acquire();
    order.push(`${name} in`);
    await new Promise<void>((resolve) => setImmediate(resolve));
    order.push(`${name} out`);
  };
  await Promise.all([critical('a'), critical('b'), critical('c')]);
  log(`lock with using, FIFO: ${order.join(' → ')}; locked afterwards: ${lock.locked}`);

  const slots = new Semaphore(0);
  const controller = new AbortController();
  const waiting = slots.acquire({ signal: controller.signal });
  controller.abort(new CancelledError('gave up waiting'));
  await waiting.catch((error) =>
    log(`cancelled acquire rejects with ${(error as Error).name}: ${(error as Error).message}`),
  );
  slots.release();
  log(`the permit released afterwards stays free: value ${slots.value}`);

  const empty = new Queue<string>();
  const pending = empty.get();
  empty.close();
  await pending.catch((error) =>
    log(`a getter blocked on an empty queue wakes on close: ${error instanceof QueueClosedError}`),
  );
}
