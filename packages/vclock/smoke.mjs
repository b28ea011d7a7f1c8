// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

const HOUR = 3_600_000;

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { VirtualClock } = await load('@aiotools/vclock');
  const { sleep } = await load('@aiotools/core');
  const realStart = performance.now();
  const clock = new VirtualClock();
  const elapsed = await clock.run(async () => {
    const t0 = Date.now();
    await delay(HOUR);
    await sleep(HOUR);
    return Date.now() - t0;
  });
  assert.equal(elapsed, 2 * HOUR);
  assert.equal(clock.now(), 2 * HOUR);
  // Two virtual hours, and the real clock is back.
  assert.ok(performance.now() - realStart < 10_000);
}
