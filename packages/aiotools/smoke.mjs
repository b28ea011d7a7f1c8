// Smoke test of the packed umbrella, run by scripts/check-packages.mjs like every package's:
// each package's own smoke test, once through its subpath (`aiotools/scope`) and once through
// the main entry (`aiotools`), with `load` redirecting the @aiotools specifiers there. The
// umbrella installs every package, so a package's smoke test may still load another package
// it needs: that goes through the same entry.
import { smoke as cancel } from '../cancel/smoke.mjs';
import { smoke as context } from '../context/smoke.mjs';
import { smoke as core } from '../core/smoke.mjs';
import { smoke as fork } from '../fork/smoke.mjs';
import { smoke as func } from '../func/smoke.mjs';
import { smoke as iter } from '../iter/smoke.mjs';
import { smoke as scope } from '../scope/smoke.mjs';
import { smoke as server } from '../server/smoke.mjs';
import { smoke as sync } from '../sync/smoke.mjs';
import { smoke as timer } from '../timer/smoke.mjs';
import { smoke as vclock } from '../vclock/smoke.mjs';

const smokes = { cancel, context, core, fork, func, iter, scope, server, sync, timer, vclock };

/** @param {(specifier: string) => Promise<Record<string, any>>} load */
export async function smoke(load) {
  for (const [name, run] of Object.entries(smokes)) {
    const viaSubpath = (specifier) => load(specifier.replace(/^@aiotools\//, 'aiotools/'));
    const viaMain = (specifier) =>
      load(specifier.startsWith('@aiotools/') ? 'aiotools' : specifier);
    for (const [how, loader] of [
      [`aiotools/${name}`, viaSubpath],
      ['aiotools', viaMain],
    ]) {
      try {
        await run(loader);
      } catch (error) {
        throw new Error(`the smoke test of @aiotools/${name} through ${how} failed`, {
          cause: error,
        });
      }
    }
  }
}
