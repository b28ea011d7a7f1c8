import { createRequire } from 'node:module';
import { CancelledError } from '@aiotools/core';
import { describe, expect, it } from 'vitest';

describe('the built packages', () => {
  it('are what these tests import', () => {
    const file = createRequire(import.meta.url).resolve('@aiotools/core');
    expect(file).toMatch(/[\\/]dist[\\/]index\.js$/);
    expect(new CancelledError()).toBeInstanceOf(Error);
  });
});
