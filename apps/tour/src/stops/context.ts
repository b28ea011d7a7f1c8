import {
  AsyncExitStack,
  actxgroup,
  actxmgr,
  adefer,
  ContextVar,
  enterContext,
  withContext,
} from '@aiotools/context';
import { log, title } from '../log.js';

/** Async context managers, exit stacks, defer and context variables. */
export async function contextStop(): Promise<void> {
  title('context: async with, exit stacks, defer, context variables');

  const resource = actxmgr(async function* (name: string) {
    log(`open ${name}`);
    try {
      yield name.toUpperCase();
    } catch (error) {
      log(`${name} saw the body error "${(error as Error).message}" and swallows it`);
    } finally {
      log(`close ${name}`);
    }
  });
  const outcome = await withContext(resource('db'), (db) => {
    throw new Error(`query on ${db} failed`);
  });
  log(`withContext resolved ${String(outcome)} (error suppressed by the generator)`);

  const group = actxgroup([resource('a'), resource('b')]);
  await withContext(group, (values) => log(`group entered concurrently: ${values.join(', ')}`));

  {
    await using stack = new AsyncExitStack();
    const conn = await stack.enterAsyncContext(resource('cache'));
    stack.callback(() => log('exit stack: callback runs first (LIFO)'));
    log(`exit stack holds ${conn}`);
  }

  {
    await using held = await enterContext(resource('file'));
    log(`await using with enterContext: ${held.value}`);
  }

  await adefer(async (defer) => {
    defer(() => log('deferred 1 (runs last)'));
    defer(async () => log('deferred 2 (runs first, awaited)'));
    log('adefer body');
  });

  const requestId = new ContextVar('requestId', { default: '-' });
  const handle = async (id: string) =>
    requestId.run(id, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return `request ${requestId.get()}`;
    });
  const seen = await Promise.all([handle('r1'), handle('r2')]);
  log(`ContextVar in concurrent runs: ${seen.join(', ')}; outside: ${requestId.get()}`);
}
