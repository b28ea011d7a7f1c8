// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { CancelledError, isCancellation, sleep } = await load('@aiotools/core');
  await sleep(1);
  const controller = new AbortController();
  const waiting = sleep(60_000, { signal: controller.signal });
  controller.abort(new CancelledError('stop'));
  const error = await waiting.then(
    () => assert.fail('sleep() resolved after its signal aborted'),
    (e) => e,
  );
  assert.ok(error instanceof CancelledError);
  assert.ok(isCancellation(error));
  assert.equal(error.name, 'CancelledError');
  assert.equal(error.message, 'stop');
}
