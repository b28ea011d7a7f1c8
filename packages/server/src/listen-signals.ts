/**
 * Adds one handler for each of `signals` on `process` and returns the function that removes
 * them all. While a handler is installed, the signal no longer has its default action (ending
 * the process), which is how repeats of a stop signal are absorbed: PID 1 of a container has no
 * default action at all, so only an explicit handler makes it stop on SIGTERM.
 */
export function listenSignals(
  signals: readonly NodeJS.Signals[],
  onSignal: (signal: NodeJS.Signals) => void,
): () => void {
  const handler = (signal: NodeJS.Signals): void => onSignal(signal);
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
