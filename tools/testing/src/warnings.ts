// Collects the process warnings emitted while `fn` runs, instead of printing them: Node's own
// printer is detached for that time and put back afterwards.
export async function captureWarnings(fn: () => unknown): Promise<Error[]> {
  const warnings: Error[] = [];
  const collect = (warning: Error) => warnings.push(warning);
  const previous = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', collect);
  try {
    await fn();
    // Warnings are emitted on a later tick.
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    process.removeAllListeners('warning');
    for (const listener of previous) process.on('warning', listener);
  }
  return warnings;
}
