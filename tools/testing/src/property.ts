// The settings of a model-based property test. `pnpm test` runs each with its usual number of
// cases; `pnpm test:property` (scripts/test-property.mjs) sets PROPERTY_RUNS and PROPERTY_SEED to
// run many more, reproducibly. The seed is always chosen here, so a failure can be replayed with
// PROPERTY_SEED=<seed> (fast-check also prints it with the counterexample).

/** The seed and number of cases of one property, and a test timeout that fits them. */
export interface PropertySettings {
  readonly numRuns: number;
  readonly seed: number;
  /** For `it(name, fn, timeout)`: the usual 20 s, or room for the larger run. */
  readonly timeout: number;
}

function integerFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer, got ${raw}`);
  return value;
}

/**
 * `defaultRuns` cases with a fresh seed, or what PROPERTY_RUNS / PROPERTY_SEED say; prints the
 * settings when either is set. `msPerRun` bounds the time of one case for the timeout.
 */
export function propertySettings(
  name: string,
  defaultRuns: number,
  msPerRun = 100,
): PropertySettings {
  const runs = integerFromEnv('PROPERTY_RUNS');
  const seedFromEnv = integerFromEnv('PROPERTY_SEED');
  if (runs !== undefined && runs < 1)
    throw new RangeError(`PROPERTY_RUNS must be at least 1, got ${runs}`);
  const numRuns = runs ?? defaultRuns;
  const seed = seedFromEnv ?? (Date.now() ^ Math.floor(Math.random() * 0x1_0000_0000)) | 0;
  if (runs !== undefined || seedFromEnv !== undefined) {
    console.log(
      `[property] ${name}: ${numRuns} cases, seed ${seed} (PROPERTY_SEED=${seed} replays it)`,
    );
  }
  return { numRuns, seed, timeout: Math.max(20_000, numRuns * msPerRun) };
}
