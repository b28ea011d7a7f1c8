// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { CancelScope, moveOnAfter, shield } = await load('@aiotools/cancel');
  const { checkpoint, sleep } = await load('@aiotools/core');
  const scope = new CancelScope();
  const value = await scope.run(async () => {
    scope.cancel();
    const shielded = await shield(async () => {
      await checkpoint(); // not cancelled: the shield blocks the scope's cancellation
      return 'shielded';
    });
    assert.equal(shielded, 'shielded');
    await checkpoint(); // rejects: the scope is cancelled
    return 'not cancelled';
  });
  assert.equal(value, undefined);
  assert.equal(scope.cancelledCaught, true);
  assert.equal(await moveOnAfter(1, () => sleep(60_000)), undefined);
}
