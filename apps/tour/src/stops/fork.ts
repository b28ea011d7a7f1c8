import { CancelScope } from '@aiotools/cancel';
import { currentSignal } from '@aiotools/core';
import { afork } from '@aiotools/fork';
import { log, title } from '../log.js';

// The tour runs bundled (dist/main.js), and the job is built beside it.
const job = new URL('./fork-job.js', import.meta.url);

/** afork: a function of a module in a child process, its exit code, signals and scopes. */
export async function forkStop(): Promise<void> {
  title('fork: afork, exit codes, race-free signals, await using');

  const counted = await afork(job, { exportName: 'count', args: [new Set(['a', 'b', 'c'])] });
  log(
    `count(new Set(['a', 'b', 'c'])) in child ${counted.pid} exited with ${await counted.wait()}`,
  );

  // afork resolves once the module's top level installed its SIGINT handler: the signal sent at
  // once runs it (exit 101) instead of killing the child.
  const served = await afork(job, { exportName: 'serve' });
  served.sendSignal('SIGINT');
  log(
    `SIGINT right after afork: exit ${await served.wait()}; sendSignal now: ${served.sendSignal('SIGINT')}`,
  );

  let disposed: { readonly exitCode: number | null } | undefined;
  {
    await using child = await afork(job, { exportName: 'serve' });
    disposed = child;
    log(`await using: child ${child.pid} runs (exitCode ${child.exitCode})`);
  }
  log(`leaving the block terminated it: exitCode ${disposed?.exitCode} (SIGTERM)`);

  let tied: { wait(): Promise<number> } | undefined;
  const scope = new CancelScope();
  await scope.run(async () => {
    tied = await afork(job, { exportName: 'serve', signal: currentSignal() });
    scope.cancel(); // a deadline or a failing sibling would do the same
    await tied.wait();
  });
  log(`a child given currentSignal() ends with its scope: exit ${await tied?.wait()}`);
}
