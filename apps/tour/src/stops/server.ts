import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { log, title } from '../log.js';

// The tour runs bundled (dist/main.js), and the server script is built beside it.
const app = fileURLToPath(new URL('./server-app.js', import.meta.url));
const LIMIT_MS = 10_000;

/** One GET to 127.0.0.1 on a fresh connection (no keep-alive), resolving with the body. */
function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The lines a process prints, and a bounded wait for one that matches. */
function lines(child: ChildProcess): {
  readonly all: string[];
  next(match: RegExp): Promise<string>;
} {
  const all: string[] = [];
  const waiters = new Set<(line: string) => void>();
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      all.push(line);
      for (const waiter of waiters) waiter(line);
    });
  }
  return {
    all,
    next(match) {
      const seen = all.find((line) => match.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the server printed no line matching ${match} within ${LIMIT_MS} ms`));
        }, LIMIT_MS);
        const waiter = (line: string): void => {
          if (!match.test(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
      });
    },
  };
}

/** startServer: a primary with two node:cluster workers, HTTP requests, then SIGTERM. */
export async function serverStop(): Promise<void> {
  title('server: startServer with 2 workers, a graceful SIGTERM');

  const child = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'inherit'] });
  // 'close': the process has exited and every line it (and its workers) printed has been read.
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => resolve(code)),
  );
  const output = lines(child);
  try {
    await output.next(/^primary: ready$/);
    const listening = await output.next(/^worker \d: listening on port \d+$/);
    const port = Number(listening.split(' ').at(-1));
    log(`primary ${child.pid}: 2 workers ready, sharing port ${port}`);

    for (let i = 1; i <= 4; i++) log(`request ${i}: "${await get(port)}"`);

    const stopFrom = output.all.length;
    child.kill('SIGTERM');
    log('SIGTERM to the primary, which forwards it to each worker once:');
    const code = await exited;
    // The two workers stop at the same time: their lines are shown in index order.
    const after = output.all.slice(stopFrom);
    const workers = after.filter((line) => line.startsWith('worker')).sort();
    for (const line of [...workers, ...after.filter((line) => !line.startsWith('worker'))]) {
      log(`  ${line}`);
    }
    log(`the primary's startServer resolved with ${code}: the exit code`);
  } finally {
    // Nothing is left running, even when a step above failed: the workers exit with their primary.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
