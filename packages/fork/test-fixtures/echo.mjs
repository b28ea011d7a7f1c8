import { serialize } from 'node:v8';
import { report } from './report.mjs';

/** Reports its arguments (as v8-serialized hex) back to the test. */
export async function args(port, ...rest) {
  await report(port, serialize(rest).toString('hex'));
}

/** Reports its environment back to the test. */
export async function env(port) {
  await report(port, process.env);
}
