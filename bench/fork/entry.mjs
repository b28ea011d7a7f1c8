// The trivial entry every case runs: `default` (a child's main, its return value is the exit
// code) and `add` (the executor's and piscina's call). Nothing else, so that each case measures
// its machinery only.
// biome-ignore lint/style/noDefaultExport: afork calls the default export unless told otherwise
export default function main() {
  return 0;
}

export function add(a, b) {
  return a + b;
}
