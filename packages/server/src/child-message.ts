// The messages a child sends its primary over the IPC channel. The primary reads only objects
// with this tag, so a user's own `process.send()` traffic passes by untouched.
export const TAG = '@aiotools/server';

export type ChildMessage =
  | { readonly [TAG]: 'started' }
  | { readonly [TAG]: 'ready' }
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
