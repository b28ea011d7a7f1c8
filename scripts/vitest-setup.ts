// Every test must leave the process as it found it: no unhandled rejection, and no timer,
// immediate or other handle still active once the test has finished.
import { afterEach, beforeEach, expect } from 'vitest';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason);
});

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of process.getActiveResourcesInfo()) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

let before = new Map<string, number>();

beforeEach(() => {
  unhandled.length = 0;
  before = countResources();
});

afterEach(async (context) => {
  // Give settled work one macrotask to release its handles.
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
  expect(unhandled, 'unhandled rejections').toEqual([]);
  if ((context.task.meta as { allowHandles?: boolean }).allowHandles) return;
  const after = countResources();
  const leaked: string[] = [];
  for (const [name, count] of after) {
    const extra = count - (before.get(name) ?? 0);
    if (extra > 0 && name !== 'TTYWrap' && name !== 'PipeWrap') leaked.push(`${name} ×${extra}`);
  }
  expect(leaked, 'handles left behind by the test').toEqual([]);
});
