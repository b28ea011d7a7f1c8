import { forever } from './report.mjs';

export function main() {
  return forever();
}

export function segfault() {
  process.kill(process.pid, 'SIGSEGV');
  return forever();
}

export function fail() {
  throw new Error('the function failed');
}
