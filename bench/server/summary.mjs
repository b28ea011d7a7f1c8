// Prints what the server suite's runs appended to bench/.results/server-{shutdown,paired}-<node>.jsonl
// beyond the one metric of each case: for every Node version, the accounts of its latest
// `node bench/run.mjs server` invocation (the runner's pid tells them apart).
//   node bench/server/summary.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../.results/', import.meta.url));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const fmt = (x) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
const range = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;

function latestRun(file) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
  const run = lines.at(-1)?.run;
  return lines.filter((line) => line.run === run);
}

const files = existsSync(dir) ? readdirSync(dir) : [];
for (const file of files.filter((f) => /^server-paired-.*\.jsonl$/.test(f)).sort()) {
  const accounts = latestRun(dir + file);
  console.log(`\n### paired, Node ${accounts[0]?.node}: median (min–max) of the runs\n`);
  console.log(
    '| case | runs | throughput ÷ raw | CPU per request ÷ raw | raw µs/request | its µs/request | raw req/s | its req/s |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const label of [...new Set(accounts.map((a) => a.case))]) {
    const of = accounts.filter((a) => a.case === label);
    console.log(
      `| ${label} | ${of.length} | ${range(of.map((a) => a.throughputRatio))} | ${range(of.map((a) => a.cpuRatio))} | ${fmt(median(of.map((a) => a.raw.cpuUsPerRequest)))} | ${fmt(median(of.map((a) => a.other.cpuUsPerRequest)))} | ${fmt(median(of.map((a) => a.raw.rps)))} | ${fmt(median(of.map((a) => a.other.rps)))} |`,
    );
  }
}

for (const file of files.filter((f) => /^server-shutdown-.*\.jsonl$/.test(f)).sort()) {
  const accounts = latestRun(dir + file);
  console.log(
    `\n### shutdown, Node ${accounts[0]?.node}: median (min–max) of the runs, or totals\n`,
  );
  console.log(
    '| server | runs | failed (total) | retries (total) | late failed (total) | in flight at SIGTERM | longest in flight ms | shutdown ms | overshoot ms | after last response ms | answered after SIGTERM (total) | exits | failures seen |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const server of [...new Set(accounts.map((a) => a.server))]) {
    const of = accounts.filter((a) => a.server === server);
    const pick = (key) => of.map((a) => a[key]);
    console.log(
      `| ${server} | ${of.length} | ${sum(pick('failed'))} | ${sum(pick('retries'))} | ${sum(pick('lateFailed'))} | ${range(pick('inFlightAtSigterm'))} | ${range(pick('longestInFlightMs'))} | ${range(pick('shutdownMs'))} | ${range(pick('overshootMs'))} | ${range(pick('afterLastResponseMs'))} | ${sum(pick('answeredAfterSigterm'))} | ${[...new Set(pick('exit'))].join(', ')} | ${[...new Set(of.flatMap((a) => a.failures))].join('; ') || '—'} |`,
    );
  }
}
