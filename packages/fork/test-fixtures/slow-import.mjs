// Reports its pid, then its top level never finishes: the child never becomes ready.
import { forever, report } from './report.mjs';

await report(process.env.REPORT_PORT, process.pid);
await forever();

export function main() {}
