// Lets the clock fire every timer while `promise` runs, then settles like the promise.
import type { VirtualClock } from '@aiotools/vclock';

export async function drive<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await clock.runAll();
  const result = await outcome;
  if (result.ok) return result.value;
  throw result.error;
}
