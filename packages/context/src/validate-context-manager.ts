import { invalidType } from '@aiotools/core/internal';
import type { AsyncContextManager } from './async-context-manager.js';

/**
 * Throws a TypeError naming `name` unless `value` has `enter` and `exit` methods: the
 * structural check of {@link AsyncContextManager}, which none of core's validators covers.
 */
export function validateContextManager(
  value: unknown,
  name: string,
): asserts value is AsyncContextManager<unknown> {
  const cm = value as { enter?: unknown; exit?: unknown } | null | undefined;
  if (typeof cm?.enter !== 'function' || typeof cm.exit !== 'function') {
    throw invalidType(name, 'an async context manager (an object with enter() and exit())', value);
  }
}
