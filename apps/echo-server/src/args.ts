// The command line of the echo server. Every process parses it (the workers run the same
// script with the same arguments), so it must come out the same everywhere: no defaults that
// depend on the process.
import { parseArgs } from 'node:util';

export interface EchoArgs {
  /** How many worker processes share the port. */
  readonly workers: number;
  /** The TCP port on 127.0.0.1; 0 lets the system pick a free one. */
  readonly port: number;
  /** A short non-interactive run: clients, echoes, then a SIGTERM of its own. */
  readonly demo: boolean;
}

export const USAGE = `Usage: node dist/main.js [--workers N] [--port P] [--demo]

  --workers N  worker processes sharing the port (default 4)
  --port P     TCP port on 127.0.0.1 (default 8888; 0 picks a free one)
  --demo       start on a free port, echo a few lines from clients, stop with SIGTERM
  --help       print this text`;

/** Thrown for a command line the server cannot run with: the message says what is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** Reads the command line; throws a {@link UsageError} for one it cannot run with. */
export function parseEchoArgs(argv: readonly string[]): EchoArgs | 'help' {
  let values: { workers?: string; port?: string; demo?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      // `pnpm start -- --port 0` passes the `--` on.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        workers: { type: 'string' },
        port: { type: 'string' },
        demo: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  const demo = values.demo === true;
  if (demo && values.port !== undefined && values.port !== '0') {
    throw new UsageError('--demo runs on a free port: leave --port out');
  }
  return {
    workers: values.workers === undefined ? 4 : integer('workers', values.workers, 1, 64),
    port: demo ? 0 : values.port === undefined ? 8888 : integer('port', values.port, 0, 65_535),
    demo,
  };
}
