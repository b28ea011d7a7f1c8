// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { aiter, first } = await load('@aiotools/iter');
  const chunks = ['a', 'b', null, 'c'];
  const read = [];
  for await (const chunk of aiter(async () => chunks.shift(), null)) read.push(chunk);
  assert.deepEqual(read, ['a', 'b']);

  let closed = false;
  async function* numbers() {
    try {
      for (let n = 0; ; n++) yield n;
    } finally {
      closed = true;
    }
  }
  assert.equal(await first(numbers(), (n) => n > 2), 3);
  assert.ok(closed);
}
