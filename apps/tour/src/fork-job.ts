// The module the fork stop runs in child processes (built to dist/fork-job.js beside main.js).
// Its top level installs the signal handler before the child reports ready.
process.on('SIGINT', () => process.exit(101));

/** Returns its argument's size as the exit code. */
export function count(items: Set<string>): number {
  return items.size;
}

/** Runs until a signal ends it. */
export function serve(): Promise<never> {
  return new Promise(() => {
    setInterval(() => {}, 60_000);
  });
}
