// The command line of the HTTP server. Every process parses it (the workers run the same
// script with the same arguments), so it must come out the same everywhere.
import { parseArgs } from 'node:util';

export interface HttpArgs {
  /** How many worker processes share the port. */
  readonly workers: number;
  /** The TCP port on 127.0.0.1; 0 lets the system pick a free one. */
  readonly port: number;
  /** ms between the stop signal (readiness fails) and the drain (the listener closes). */
  readonly shutdownDelay: number;
  /** ms a request of /work may take before it is answered 504. */
  readonly deadline: number;
  /** ms the drain waits for the requests in flight before it destroys their sockets. */
  readonly drainTimeout: number;
  /** A short non-interactive run: load, a SIGTERM of its own in the middle, a report. */
  readonly demo: boolean;
}

export const USAGE = `Usage: node dist/main.js [options]

  --workers N          worker processes sharing the port (default 2)
  --port P             TCP port on 127.0.0.1 (default 8080; 0 picks a free one)
  --shutdown-delay MS  after SIGTERM, how long /readyz answers 503 before the listener closes
                       (default 0; the demo uses 300)
  --deadline MS        the longest a /work request may take before it is answered 504
                       (default 5000; the demo uses 1000)
  --drain-timeout MS   how long the drain waits for requests in flight (default 10000)
  --demo               start on a free port, run a small load, SIGTERM in the middle of it
  --help               print this text`;

/** Thrown for a command line the server cannot run with: the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Reads the command line; throws a {@link UsageError} for one it cannot run with. */
export function parseHttpArgs(argv: readonly string[]): HttpArgs | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --port 0` passes the `--` on.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        workers: { type: 'string' },
        port: { type: 'string' },
        'shutdown-delay': { type: 'string' },
        deadline: { type: 'string' },
        'drain-timeout': { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const demo = values.demo === true;
  if (demo && text('port') !== undefined && text('port') !== '0') {
    throw new UsageError('--demo runs on a free port: leave --port out');
  }
  return {
    workers: integer('workers', text('workers'), 2, 1, 64),
    port: demo ? 0 : integer('port', text('port'), 8080, 0, 65_535),
    shutdownDelay: integer('shutdown-delay', text('shutdown-delay'), demo ? 300 : 0, 0, 600_000),
    deadline: integer('deadline', text('deadline'), demo ? 1_000 : 5_000, 1, 600_000),
    drainTimeout: integer('drain-timeout', text('drain-timeout'), 10_000, 0, 600_000),
    demo,
  };
}
