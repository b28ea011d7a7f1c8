/** Prints one line of the tour, indented under the current stop. */
export function log(line: string): void {
  process.stdout.write(`  ${line}\n`);
}

/** Prints the title of a stop. */
export function title(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}
