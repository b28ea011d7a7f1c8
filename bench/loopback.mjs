// What the suites that start servers on 127.0.0.1 share (server, http-scope): a free port, and
// waits on a server that give up after BOUND ms instead of hanging the benchmark.
import { createServer } from 'node:net';

/** ms: every wait on a server gives up (and its caller kills the server) after this. */
export const BOUND = 15_000;

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** `promise`, or a rejection naming `what` after BOUND ms (calling `onTimeout` first). */
export function bounded(promise, what, onTimeout) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} within ${BOUND} ms`));
    }, BOUND);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
