import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`./${name}.fixture.mjs`, import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts a fixture, sends `signal` once it printed "ready", and reports how it exited. */
async function stopWith(script: string, signal: NodeJS.Signals): Promise<Exit> {
  const child = spawn(process.execPath, [fixture(script)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, exitSignal) =>
      resolve({ code, signal: exitSignal, stdout, stderr }),
    );
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
  try {
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = !stdout.includes('ready\n');
      stdout += chunk.toString();
      if (ready && stdout.includes('ready\n')) child.kill(signal);
    });
    return await exited;
  } finally {
    clearTimeout(guard);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

describe('run(main, { exitOnSignal: true }) in a real process', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'exits with 128 + the signal number on %s, one line on stderr, its Group closed',
    async (signal, code) => {
      const exit = await stopWith('run-exit-on-signal', signal);
      expect(exit).toEqual({
        code,
        signal: null,
        stdout: 'ready\ngroup task cancelled\nrun returned, listeners 0 0\n',
        stderr: `Stopped by ${signal}\n`,
      });
    },
  );

  it('refuses SIGKILL in `signals` without leaving a listener that would swallow Ctrl-C', async () => {
    // Reported: the rejection left run()'s SIGINT listener installed, so Ctrl-C did nothing.
    const exit = await stopWith('run-bad-signals', 'SIGINT');
    expect(exit).toEqual({
      code: null,
      signal: 'SIGINT',
      stdout:
        'RangeError: Expected `options.signals[1]` to be a signal that can be caught, got `"SIGKILL"` (string): SIGKILL and SIGSTOP cannot be handled\nready\n',
      stderr: '',
    });
  });
});
