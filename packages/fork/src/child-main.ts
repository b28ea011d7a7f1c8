// The program `afork` starts in the child (a build entry of its own: dist/child-main.js).
// It watches the parent from the first moment, waits for the start message, imports the entry
// module (whose top level installs its signal handlers), checks the export, reports ready, and
// only then calls the function; the process exits with the code its result maps to.

import { writeSync } from 'node:fs';
import { exitCodeFor } from './exit-code.js';
import { watchParent } from './parent-watch.js';

// Only `node:` built-ins and two small modules load before the entry: every module more costs
// each child start-up time (core's chunk alone, with AsyncLocalStorage, about 2 ms). The
// family's wording of a received value is needed on the failure paths only, so it loads there.
async function describeValue(value: unknown): Promise<string> {
  const internal = await import('@aiotools/core/internal');
  return internal.describeValue(value);
}

interface StartMessage {
  readonly type: 'start';
  readonly entry: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
  readonly processGroup: boolean;
}

let processGroup = false;

if (typeof process.send !== 'function') {
  writeSync(2, 'child-main is the bootstrap of @aiotools/fork: start it with afork()\n');
  process.exit(1);
}

// The parent died (even by SIGKILL): nobody waits for this process any more. With a process
// group, the group goes too, last, after the process's own 'exit' listeners ran.
const stopWatching = watchParent(() => {
  if (processGroup) {
    process.on('exit', () => {
      try {
        process.kill(-process.pid, 'SIGKILL');
      } catch {}
    });
  }
  process.exit(1);
});

process.once('message', (message: StartMessage) => void start(message));

async function start(message: StartMessage): Promise<void> {
  processGroup = message.processGroup;
  let fn: unknown;
  try {
    const namespace = (await import(message.entry)) as Record<string, unknown>;
    fn = namespace[message.exportName];
  } catch (error) {
    writeSync(2, `${await stackOf(error)}\n`);
    return fail(`importing it threw ${await firstLine(error)}`, error);
  }
  if (typeof fn !== 'function') {
    const text = `Expected the export \`${message.exportName}\` of ${message.entry} to be a function, got ${await describeValue(fn)}`;
    writeSync(2, `TypeError: ${text}\n`);
    return fail(text, new TypeError(text));
  }
  await send({ type: 'ready' });
  let code: number;
  try {
    code = exitCodeFor(await fn(...message.args));
  } catch (error) {
    writeSync(2, `${await stackOf(error)}\n`);
    code = 1;
  }
  stopWatching();
  process.exit(code);
}

/** Reports a failure before ready to the parent, then exits with 1. */
async function fail(text: string, error: unknown): Promise<void> {
  try {
    await send({ type: 'failed', message: text, error });
  } catch {
    // The error could not be copied: send the text alone.
    await send({ type: 'failed', message: text }).catch(() => {});
  }
  stopWatching();
  process.exit(1);
}

function send(message: object): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error: Error | null) =>
      error ? reject(error) : resolve(),
    );
  });
}

async function stackOf(error: unknown): Promise<string> {
  if (error instanceof Error && typeof error.stack === 'string') return error.stack;
  return `Uncaught ${await describeValue(error)}`;
}

async function firstLine(error: unknown): Promise<string> {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : await describeValue(error);
  return text.split('\n')[0] ?? text;
}
