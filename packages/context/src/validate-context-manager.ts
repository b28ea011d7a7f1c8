import type { AsyncContextManager } from './async-context-manager.js';

/** Throws a TypeError naming `name` unless `value` has `enter` and `exit` methods. */
export function validateContextManager(
  value: unknown,
  name: string,
): asserts value is AsyncContextManager<unknown> {
  const cm = value as { enter?: unknown; exit?: unknown } | null | undefined;
  if (typeof cm?.enter !== 'function' || typeof cm.exit !== 'function') {
    const got = value === null ? 'null' : typeof value;
    throw new TypeError(
      `Expected \`${name}\` to be an async context manager (an object with enter() and exit()), got ${got}`,
    );
  }
}
