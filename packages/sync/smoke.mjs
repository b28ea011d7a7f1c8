// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { Lock, Queue, QueueClosedError } = await load('@aiotools/sync');
  const queue = new Queue(1);
  const getting = queue.get();
  await queue.put('a');
  assert.equal(await getting, 'a');
  await queue.put('b');
  queue.close();
  const drained = [];
  for await (const item of queue) drained.push(item);
  assert.deepEqual(drained, ['b']);
  await assert.rejects(queue.put('c'), QueueClosedError);

  const lock = new Lock();
  const guard = await lock.acquire();
  assert.equal(lock.locked, true);
  guard[Symbol.dispose]();
  assert.equal(lock.locked, false);
}
