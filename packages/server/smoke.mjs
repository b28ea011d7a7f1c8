// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
import assert from 'node:assert/strict';

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { mainContext, processIndex, serverContext, startServer } = await load('@aiotools/server');
  const events = [];
  const main = mainContext(async function* () {
    events.push('main up');
    yield 'from main';
    events.push('main down');
  });
  const worker = serverContext(async function* ({ index, args }) {
    events.push(`worker ${index} up with ${args.join(',')} at ${processIndex.get()}`);
    const signal = yield;
    events.push(`worker ${index} down on ${signal}`);
  });
  // Inline mode, one worker in this process; runToCompletion runs its startup and its
  // shutdown at once, so no signal is needed to stop it.
  const code = await startServer(worker, {
    main,
    mode: 'inline',
    runToCompletion: true,
    args: ['x'],
    waitTimeout: 10_000,
  });
  assert.equal(code, 0);
  assert.deepEqual(events, [
    'main up',
    'worker 0 up with from main,x at 0',
    'worker 0 down on SIGTERM',
    'main down',
  ]);
}
