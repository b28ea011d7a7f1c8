// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { createTimer, interval } = await load('@aiotools/timer');
  const { cancelAndWait } = await load('@aiotools/cancel');
  const { sleep } = await load('@aiotools/core');
  // The README's flow at the top of a program, outside any scope: a timer, some time, then
  // cancelAndWait (which once found the timer's own task ambient here on Node 20 and 22).
  {
    let ticks = 0;
    const timer = createTimer(() => {
      ticks++;
    }, 5);
    try {
      await sleep(12);
      await cancelAndWait(timer);
    } finally {
      timer.cancel(); // whatever failed above, leave no timer running
    }
    assert.equal(timer.state, 'cancelled');
    assert.ok(ticks >= 1);

    const seen = [];
    for await (const n of interval(1)) {
      seen.push(n);
      if (seen.length === 3) break;
    }
    assert.equal(seen.length, 3);
  }
}
