// Runs one benchmark case in this (fresh) process: warm-up runs, then timed runs, each after
// a full GC. Prints one JSON line: the case, the Node version and every sample.
//   node --expose-gc worker.mjs <case-file> <case-name> <warmup> <runs>
import { pathToFileURL } from 'node:url';

const [file, name, warmupArg, runsArg] = process.argv.slice(2);
const warmup = Number(warmupArg);
const runs = Number(runsArg);
const mod = await import(pathToFileURL(file).href);
const bench = mod.cases.find((c) => c.name === name);
if (!bench) throw new Error(`no case ${name} in ${file}`);
const gc = globalThis.gc ?? (() => {});

async function once() {
  const state = bench.setup ? await bench.setup() : undefined;
  gc();
  gc();
  const start = performance.now();
  const out = await bench.run(state);
  const elapsed = performance.now() - start;
  if (bench.check) bench.check(out);
  // A case may report its own metric (heap bytes, drift) instead of the elapsed time.
  return typeof out === 'object' && out !== null && 'metric' in out ? out.metric : elapsed;
}

for (let i = 0; i < warmup; i++) await once();
const samples = [];
for (let i = 0; i < runs; i++) samples.push(await once());
process.stdout.write(`${JSON.stringify({ name, node: process.version, samples })}\n`);
