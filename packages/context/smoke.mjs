// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { AsyncExitStack, ContextVar, actxmgr, withContext } = await load('@aiotools/context');
  const events = [];
  const resource = actxmgr(async function* (name) {
    events.push(`open ${name}`);
    try {
      yield name.toUpperCase();
    } finally {
      events.push(`close ${name}`);
    }
  });
  assert.equal(await withContext(resource('a'), async (value) => value), 'A');
  const stack = new AsyncExitStack();
  await stack.enterAsyncContext(resource('b'));
  await stack.enterAsyncContext(resource('c'));
  await stack.aclose();
  assert.deepEqual(events, ['open a', 'close a', 'open b', 'open c', 'close c', 'close b']);

  const requestId = new ContextVar('requestId', { default: '-' });
  const seen = await requestId.run('r-1', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return requestId.get();
  });
  assert.equal(seen, 'r-1');
  assert.equal(requestId.get(), '-');
}
