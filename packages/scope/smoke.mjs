// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { TaskGroup } = await load('@aiotools/scope');
  const { ExceptionGroup, sleep } = await load('@aiotools/core');
  const pair = await TaskGroup.run(async (tg) => {
    const a = tg.spawn(async () => {
      await sleep(1);
      return 'a';
    });
    const b = tg.spawn(async () => 'b');
    return [await a, await b];
  });
  assert.deepEqual(pair, ['a', 'b']);

  // Fail fast: the failure cancels the sibling and comes out in an ExceptionGroup.
  let siblingCancelled = false;
  const error = await TaskGroup.run(async (tg) => {
    tg.spawn(async () => {
      try {
        await sleep(60_000);
      } finally {
        siblingCancelled = true;
      }
    });
    tg.spawn(async () => {
      throw new Error('boom');
    });
  }).then(
    () => assert.fail('TaskGroup.run resolved although a task failed'),
    (e) => e,
  );
  assert.ok(error instanceof ExceptionGroup);
  assert.deepEqual(
    error.errors.map((e) => e.message),
    ['boom'],
  );
  assert.ok(siblingCancelled);
}
