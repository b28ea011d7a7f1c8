// Ignores SIGTERM from its top level on, so only SIGKILL ends it.
import { forever } from './report.mjs';

process.on('SIGTERM', () => {});

export function main() {
  return forever();
}
