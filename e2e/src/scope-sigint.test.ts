// A stop signal reaches a TaskGroup that waits for its children, in a real child process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../fixtures/sigint-taskgroup.mjs', import.meta.url));

it('SIGINT while a TaskGroup waits for its children ends main as cancelled', async () => {
  const child = spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (chunk.includes('ready')) child.kill('SIGINT');
    });
    child.stderr.resume();
    const [code] = await once(child, 'exit');
    expect(out.trim().split('\n')).toEqual([
      'ready',
      'child cleaned up',
      'main ended: CancelledError: Received SIGINT',
    ]);
    expect(code).toBe(0);
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
