// Reports its own pid (and a grandchild's, when asked) and runs until something ends it.
import { spawn } from 'node:child_process';
import { forever, report } from './report.mjs';

export async function main(port, withGrandchild) {
  const pids = [process.pid];
  if (withGrandchild) pids.push(spawn('sleep', ['30'], { stdio: 'ignore' }).pid);
  await report(port, pids);
  return forever();
}
