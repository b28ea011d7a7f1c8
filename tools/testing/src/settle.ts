// Lets promise jobs, nextTick callbacks and immediates run for `turns` turns of the event loop.
// Uses `setImmediate`, which no test clock fakes, so it works with or without a clock installed.
export async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
