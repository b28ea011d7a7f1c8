import { coreStop } from './stops/core.js';

const stops: Array<() => Promise<void>> = [coreStop];

const started = performance.now();
for (const stop of stops) await stop();
process.stdout.write(`\nTour finished in ${(performance.now() - started).toFixed(0)} ms.\n`);
