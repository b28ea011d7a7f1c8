// The benchmark command. For each suite (bench/<suite>/cases.mjs) it runs every case in a
// fresh Node process, alternating the order of the cases between rounds, and prints the
// median of every case with its ratio to the suite's baseline. Results also go to
// bench/.results/<suite>-<node>.json for RESULTS.md.
//
//   node bench/run.mjs [suite ...] [--node=PATH] [--node-args='--flag …'] [--rounds=2] [--runs=5]
//     [--warmup=1] [--only=substr[,substr…]]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (key, fallback) => {
  const hit = args.find((a) => a.startsWith(`--${key}=`));
  return hit ? hit.slice(key.length + 3) : fallback;
};
const node = opt('node', process.execPath);
// --node-args='--a --b' (space-separated) adds Node options to every case process; they name
// the results file and the table (e.g. Node 22 with --experimental-async-context-frame).
const nodeArgs = opt('node-args', '')
  .split(' ')
  .filter((part) => part !== '');
const tag = nodeArgs.length > 0 ? ` ${nodeArgs.join(' ')}` : '';
const rounds = Number(opt('rounds', 2));
const runs = Number(opt('runs', 5));
const warmup = Number(opt('warmup', 1));
// --only=a,b keeps the cases whose name contains any of the comma-separated substrings.
const only = opt('only', '')
  .split(',')
  .filter((part) => part !== '');
const suites = args.filter((a) => !a.startsWith('--'));
const all = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'cases.mjs')))
  .map((d) => d.name);
const selected = suites.length > 0 ? suites : all;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) =>
  Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);

for (const suite of selected) {
  const file = join(here, suite, 'cases.mjs');
  const mod = await import(pathToFileURL(file).href);
  const cases = mod.cases.filter(
    (c) => only.length === 0 || only.some((part) => c.name.includes(part)),
  );
  const samples = new Map(cases.map((c) => [c.name, []]));
  // A case that fails (its check, or a heap limit) is reported as failed; the others go on.
  const failures = new Map();
  let version = '';
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? cases : [...cases].reverse();
    for (const c of order) {
      if (failures.has(c.name)) continue;
      let out;
      try {
        out = execFileSync(
          node,
          [
            '--expose-gc',
            ...nodeArgs,
            ...(c.nodeArgs ?? []),
            join(here, 'worker.mjs'),
            file,
            c.name,
            String(warmup),
            String(runs),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 },
        );
      } catch (error) {
        const message = /^Error: (.*)$/m.exec(String(error.stderr))?.[1] ?? 'crashed';
        failures.set(c.name, message);
        continue;
      }
      const line = JSON.parse(out.trim().split('\n').pop());
      version = line.node;
      samples.get(c.name).push(...line.samples);
    }
  }
  const rows = cases.map((c) => ({
    name: c.name,
    unit: c.unit ?? 'ms',
    group: c.group ?? '',
    median: median(samples.get(c.name)),
    min: Math.min(...samples.get(c.name)),
    max: Math.max(...samples.get(c.name)),
    n: samples.get(c.name).length,
  }));
  console.log(
    `\n## ${suite} — Node ${version}${tag} (${rounds} rounds × ${runs} runs, fresh process each)\n`,
  );
  console.log('| case | median | min | max | ratio to baseline |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) {
    if (failures.has(row.name)) {
      console.log(`| ${row.name} | failed: ${failures.get(row.name)} | | | |`);
      continue;
    }
    const base = rows.find(
      (r) => r.group === row.group && cases.find((c) => c.name === r.name).baseline,
    );
    const ratio =
      base && base.median > 0 ? `${(row.median / base.median).toFixed(2)}x ${base.name}` : '';
    console.log(
      `| ${row.name} | ${fmt(row.median)} ${row.unit} | ${fmt(row.min)} | ${fmt(row.max)} | ${ratio} |`,
    );
  }
  mkdirSync(join(here, '.results'), { recursive: true });
  writeFileSync(
    join(here, '.results', `${suite}-${version}${tag.replaceAll(/[^\w.-]+/g, '_')}.json`),
    JSON.stringify({ suite, node: version, nodeArgs, rows }, null, 2),
  );
}
