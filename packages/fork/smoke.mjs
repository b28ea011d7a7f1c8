// Smoke test of the packed package, run by scripts/check-packages.mjs in a project where only
// this package (and its @aiotools dependencies) is installed from the tarballs, once loaded
// with `import` and once with `require`. `load` is the loader of that form; every @aiotools
// module must come through it (a static import here would resolve from the repository instead).
//
// This module is also the job: the child process and the worker thread import it and call one
// of the functions below, so it must stay free of side effects at its top level.
import assert from 'node:assert/strict';

/** Run in a child process by `afork`: its return value is the exit code. */
export function childMain(code) {
  return code;
}

/** Run in a worker thread by the executor. */
export function double(n) {
  return 2 * n;
}

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  const { afork, createExecutor } = await load('@aiotools/fork');
  const entry = new URL(import.meta.url);
  const child = await afork(entry, { exportName: 'childMain', args: [7], readyTimeout: 20_000 });
  try {
    assert.ok(Number.isInteger(child.pid) && child.pid > 0);
    assert.equal(await child.wait(), 7);
    assert.equal(child.exitCode, 7);
  } finally {
    await child.terminate({ grace: 1_000 });
  }

  const executor = createExecutor({ threads: 1 });
  try {
    assert.equal(await executor.run(entry, { exportName: 'double', args: [21] }), 42);
  } finally {
    await executor.close();
  }
}
