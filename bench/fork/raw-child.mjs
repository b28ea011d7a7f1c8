// The child of the raw `child_process.fork` and `execaNode` cases: what afork's child does, by
// hand. Import the entry, tell the parent it is ready (once the message is written), call the
// entry's default export and exit with its return value.
const mod = await import(new URL('./entry.mjs', import.meta.url).href);
await new Promise((resolve) => process.send('ready', resolve));
process.exit(await mod.default());
