/** A context entered from an async generator: its startup ran, its shutdown has not. */
export interface EnteredGenerator<T> {
  /** What the generator yielded. */
  readonly value: T;
  /** Runs the shutdown: resumes the generator with the stop signal and checks that it ends. */
  exit(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a context generator up to its `yield` (the startup). A generator that ends without
 * yielding, or yields twice, is a programming error reported as a TypeError naming `what`.
 */
export async function enterGenerator<T>(
  generator: AsyncGenerator<T, void, NodeJS.Signals>,
  what: string,
): Promise<EnteredGenerator<T>> {
  if (typeof generator?.next !== 'function') {
    throw new TypeError(
      `${what} must be an async generator function (async function* () { … yield; … })`,
    );
  }
  const first = await generator.next();
  if (first.done) {
    throw new TypeError(
      `${what} returned without yielding: the code before \`yield\` is its startup, the code after it its shutdown`,
    );
  }
  return {
    value: first.value,
    async exit(signal) {
      const next = await generator.next(signal);
      if (!next.done) {
        await generator.return();
        throw new TypeError(`${what} yielded more than once: it must yield exactly once`);
      }
    },
  };
}

/** The main context's yielded value as leading arguments: an array is spread, `undefined` adds nothing. */
export function leadingArgs(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value];
}
