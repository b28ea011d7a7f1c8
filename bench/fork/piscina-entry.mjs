// piscina's worker file: piscina passes the task as one argument, so its `add` takes the pair
// that @aiotools/fork's executor spreads into `add(a, b)` (entry.mjs). The same work otherwise.
export function add([a, b]) {
  return a + b;
}
