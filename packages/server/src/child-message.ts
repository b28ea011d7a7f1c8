// The messages a child sends its primary over the IPC channel. The primary reads only objects
// with this tag, so a user's own `process.send()` traffic passes by untouched.
export const TAG = '@aiotools/server';

export type ChildMessage =
  | { readonly [TAG]: 'started' }
  | { readonly [TAG]: 'ready' }
  /** About to exit: the primary answers with {@link PrimaryMessage} `exit`. */
  | { readonly [TAG]: 'exiting' }
  | {
      readonly [TAG]: 'failed';
      readonly phase: 'startup' | 'shutdown' | 'run';
      readonly error: string;
    };

export function isChildMessage(value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && TAG in value;
}

/** Sends a message to the primary; resolves once it is written (or the channel is gone). */
export function sendToPrimary(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (typeof process.send !== 'function' || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

/** What the primary sends a child: the answer to its `exiting`. */
export type PrimaryMessage = { readonly [TAG]: 'exit' };

/**
 * Before a child exits: a round trip with the primary over the IPC channel. In cluster mode
 * the primary hands each new connection of a shared port to a worker over that channel, and
 * goes on doing so until it has read the worker's `close` of its server (node:cluster sends it
 * without waiting for an answer). A worker that exits right after its servers closed can take
 * a connection handed to it in between down with it, and the primary then keeps that connection
 * open, never served. The primary answers `exiting` after everything the child sent before
 * (that `close` among it), so once the answer is in, every such connection has reached the
 * child, which node:cluster gives back to the primary for another worker. Resolves on the
 * answer, when the channel is gone, or after `timeout` ms.
 */
export function roundTripWithPrimary(timeout = 1_000): Promise<void> {
  return new Promise((resolve) => {
    if (typeof process.send !== 'function' || !process.connected) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      process.off('disconnect', done);
      resolve();
    };
    const onMessage = (message: unknown): void => {
      if (isChildMessage(message) && (message as { [TAG]: unknown })[TAG] === 'exit') done();
    };
    const timer = setTimeout(done, timeout);
    process.on('message', onMessage);
    process.once('disconnect', done);
    process.send({ [TAG]: 'exiting' } satisfies ChildMessage);
  });
}
