// Starts a shell with two background sleeps in this child's process group and reports their
// pids (and the shell's) to the test.
import { spawn } from 'node:child_process';
import { forever, report } from './report.mjs';

export async function main(port) {
  const shell = spawn('sh', ['-c', 'sleep 30 & echo $!; sleep 30 & echo $!; wait'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of shell.stdout) {
    out += chunk;
    if (out.split('\n').length > 2) break;
  }
  const sleeps = out.trim().split('\n').map(Number);
  await report(port, [shell.pid, ...sleeps]);
  return forever();
}
