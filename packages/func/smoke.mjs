// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { callOnDone, lruCache } = await load('@aiotools/func');
  let calls = 0;
  const square = lruCache(
    async (n) => {
      calls++;
      return n * n;
    },
    { maxsize: 10 },
  );
  assert.deepEqual(await Promise.all([square(3), square(3), square(4)]), [9, 9, 16]);
  assert.equal(calls, 2);
  assert.equal(square.cacheInfo().hits, 1);

  let done = false;
  await callOnDone(Promise.resolve(), () => {
    done = true;
  });
  assert.ok(done);
}
