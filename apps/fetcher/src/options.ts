// The command line: `node dist/main.js [--demo] [--concurrency N] …`.
import { parseArgs } from 'node:util';
import { MIN_PAGES } from './site.js';

/** Everything the command line sets. */
export interface Options {
  readonly demo: boolean;
  readonly help: boolean;
  readonly pages: number;
  readonly concurrency: number;
  readonly timeout: number;
  readonly retries: number;
  readonly backoff: number;
  readonly latency: number;
  readonly slow: number;
}

interface NumberOption {
  readonly name: keyof Options;
  readonly min: number;
  readonly normal: number;
  readonly demo: number;
  readonly help: string;
}

// The normal run takes several seconds, long enough to watch the progress line and to press
// Ctrl-C; the demo is the same crawl of a smaller, faster site.
const NUMBERS: readonly NumberOption[] = [
  { name: 'pages', min: MIN_PAGES, normal: 60, demo: 30, help: 'pages of the generated site' },
  { name: 'concurrency', min: 1, normal: 4, demo: 6, help: 'requests in flight at most' },
  { name: 'timeout', min: 1, normal: 2_000, demo: 1_000, help: 'deadline of one request, ms' },
  { name: 'retries', min: 0, normal: 3, demo: 3, help: 'retries after a 5xx or network error' },
  { name: 'backoff', min: 0, normal: 200, demo: 100, help: 'pause before the first retry, ms' },
  { name: 'latency', min: 0, normal: 150, demo: 20, help: 'answer time of a normal page, ms' },
  { name: 'slow', min: 0, normal: 1_200, demo: 300, help: 'answer time of a slow page, ms' },
];

/** The usage text of `--help`. */
export function usage(): string {
  const lines = NUMBERS.map(
    ({ name, normal, demo, help }) =>
      `  --${name.padEnd(12)} ${help} (default ${normal}, with --demo ${demo})`,
  );
  return [
    'Usage: node dist/main.js [options]',
    '',
    'Serves a generated site on 127.0.0.1 and crawls it. Ctrl-C cancels the crawl.',
    '',
    '  --demo         a short run of a small, fast site',
    ...lines,
    '  --help         this text',
    '',
    'Exit codes: 0 crawl finished, 130 cancelled by SIGINT (143 SIGTERM), 2 bad option, 1 error.',
  ].join('\n');
}

/** Parses the arguments; throws an Error with a message for the user on a bad one. */
export function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      ...Object.fromEntries(NUMBERS.map(({ name }) => [name, { type: 'string' as const }])),
    },
  });
  const demo = values.demo === true;
  const numbers: Record<string, number> = {};
  for (const { name, min, normal, demo: short } of NUMBERS) {
    const raw = (values as Record<string, unknown>)[name];
    if (typeof raw !== 'string') {
      numbers[name] = demo ? short : normal;
      continue;
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(value) || value < min) {
      throw new Error(`Expected \`--${name}\` to be an integer ≥ ${min}, got \`${raw}\``);
    }
    numbers[name] = value;
  }
  return {
    demo,
    help: values.help === true,
    pages: numbers['pages']!,
    concurrency: numbers['concurrency']!,
    timeout: numbers['timeout']!,
    retries: numbers['retries']!,
    backoff: numbers['backoff']!,
    latency: numbers['latency']!,
    slow: numbers['slow']!,
  };
}
