// 50 ms of synchronous initialisation before the handler exists: a signal sent as soon as the
// process is spawned would kill it; one sent once afork resolved runs the handler.
import { forever } from './report.mjs';

const until = Date.now() + 50;
while (Date.now() < until) {}
process.on('SIGINT', () => process.exit(101));

export function main() {
  return forever();
}
