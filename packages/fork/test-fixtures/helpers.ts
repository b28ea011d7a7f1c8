// Helpers of the package's tests. `listen` is the test side of report.mjs: a TCP server on
// 127.0.0.1 that hands out the JSON values the children send, one per connection, in order.

import { createServer, type Server } from 'node:net';
import { isRunning } from '@aiotools-test/testing';

export { bounded, commandLine, isRunning, killLeftover } from '@aiotools-test/testing';

export interface Reports {
  readonly port: number;
  next(): Promise<unknown>;
  close(): Promise<void>;
}

export async function listen(): Promise<Reports> {
  const values: unknown[] = [];
  const waiters: Array<(value: unknown) => void> = [];
  const server: Server = createServer((socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('end', () => {
      const value: unknown = JSON.parse(text);
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else values.push(value);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    next: () =>
      values.length > 0
        ? Promise.resolve(values.shift())
        : new Promise((resolve) => waiters.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls every 50 ms (at most `ms`) until `pid` is gone; true when it went. */
export async function gone(pid: number, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (isRunning(pid)) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
