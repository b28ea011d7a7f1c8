import { deserialize, serialize } from 'node:v8';

// How a process started by `startServer` knows that it is one, and what the main context
// yielded: the primary puts both in the child's environment (the value v8-serialized, so it
// may hold what structured clone carries: Maps, Dates, typed arrays), and the child removes
// them at once, so that the processes it starts itself (another server among them) do not
// inherit them.
const CHILD_INDEX = 'AIOTOOLS_SERVER_PROCESS_INDEX';
const MAIN_VALUE = 'AIOTOOLS_SERVER_MAIN_VALUE';

/**
 * Encodes the main context's value for the children's environment.
 * @throws DataCloneError when the value cannot be structured-cloned (a function, a socket)
 */
export function encodeMainValue(value: unknown): string {
  return serialize(value).toString('base64');
}

/** The environment a child with this process index is started with, besides the primary's. */
export function childEnv(index: number, encodedMainValue: string): Record<string, string> {
  return { [CHILD_INDEX]: String(index), [MAIN_VALUE]: encodedMainValue };
}

export interface ChildIdentity {
  readonly index: number;
  readonly mainValue: unknown;
}

let taken: ChildIdentity | undefined;

/**
 * In a process started by `startServer`, its process index and the main context's value (read
 * once, then removed from the environment); `undefined` in any other process.
 */
export function ownChildIdentity(): ChildIdentity | undefined {
  if (taken === undefined) {
    const index = process.env[CHILD_INDEX];
    if (index === undefined || !/^\d+$/.test(index)) return undefined;
    const value = process.env[MAIN_VALUE];
    delete process.env[CHILD_INDEX];
    delete process.env[MAIN_VALUE];
    taken = {
      index: Number(index),
      mainValue:
        value === undefined || value === '' ? undefined : deserialize(Buffer.from(value, 'base64')),
    };
  }
  return taken;
}
