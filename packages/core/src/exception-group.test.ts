import * as core from '@aiotools/core';
import { describe, expect, it, vi } from 'vitest';
import { CancelledError } from './cancelled-error.js';
import { ExceptionGroup } from './exception-group.js';

describe('ExceptionGroup', () => {
  it('is an AggregateError with its name, members, message and cause', () => {
    const a = new TypeError('a');
    const cause = new Error('why');
    const group = new ExceptionGroup(new Set([a, 'b']), 'two', { cause });
    expect(group).toBeInstanceOf(AggregateError);
    expect(group.name).toBe('ExceptionGroup');
    expect(group.errors).toEqual([a, 'b']);
    expect(group.message).toBe('two');
    expect(group.cause).toBe(cause);
    expect(new ExceptionGroup([]).message).toBe('Multiple errors occurred');
  });

  it('rejects members that are not iterable, naming the argument', () => {
    for (const bad of [undefined, null, 42, {}]) {
      expect(() => new ExceptionGroup(bad as unknown as unknown[])).toThrow(TypeError);
    }
    expect(() => new ExceptionGroup(null as unknown as unknown[])).toThrow(/`errors`/);
  });

  it('rejects a string, the Python argument order, instead of splitting it into characters', () => {
    expect(() => new ExceptionGroup('message' as unknown as unknown[])).toThrow(
      /the message comes second/,
    );
  });

  it('splits by class into the matching and the remaining members', () => {
    const t = new TypeError('t');
    const r = new RangeError('r');
    const group = new ExceptionGroup([t, r, 'plain'], 'mixed');
    const [match, rest] = group.split(TypeError);
    expect(match?.errors).toEqual([t]);
    expect(rest?.errors).toEqual([r, 'plain']);
    expect(match).toBeInstanceOf(ExceptionGroup);
    expect(match?.message).toBe('mixed');
  });

  it('splits by predicate', () => {
    const group = new ExceptionGroup([1, 2, 3, 4]);
    const [even, odd] = group.split((e) => typeof e === 'number' && e % 2 === 0);
    expect(even?.errors).toEqual([2, 4]);
    expect(odd?.errors).toEqual([1, 3]);
  });

  it('matches a class through the cross-copy brand, and subclasses by prototype', () => {
    class Own extends CancelledError {}
    const own = new Own();
    const plain = new CancelledError();
    const group = new ExceptionGroup([own, plain]);
    expect(group.subgroup(CancelledError)?.errors).toEqual([own, plain]);
    expect(group.subgroup(Own)?.errors).toEqual([own]);
  });

  it('keeps the structure of nested groups on both sides', () => {
    const t1 = new TypeError('t1');
    const r1 = new RangeError('r1');
    const t2 = new TypeError('t2');
    const inner = new ExceptionGroup([t1, r1], 'inner');
    const onlyTypes = new ExceptionGroup([t2], 'types');
    const outer = new ExceptionGroup([inner, onlyTypes, 'x'], 'outer');
    const [match, rest] = outer.split(TypeError);
    expect(match?.message).toBe('outer');
    expect(match?.errors).toHaveLength(2);
    const [m0, m1] = match!.errors as ExceptionGroup[];
    expect(m0?.message).toBe('inner');
    expect(m0?.errors).toEqual([t1]);
    // A nested group that matches entirely is kept as it is.
    expect(m1).toBe(onlyTypes);
    const [r0, r2] = rest!.errors as [ExceptionGroup, unknown];
    expect(r0.message).toBe('inner');
    expect(r0.errors).toEqual([r1]);
    expect(r2).toBe('x');
  });

  it('returns the group itself when everything or the group as a whole matches', () => {
    const group = new ExceptionGroup([new TypeError('a'), new TypeError('b')]);
    expect(group.split(TypeError)).toEqual([group, undefined]);
    expect(group.split(TypeError)[0]).toBe(group);
    expect(group.split(ExceptionGroup)[0]).toBe(group);
    expect(group.split((e) => e === group)).toEqual([group, undefined]);
    expect(group.split(RangeError)[1]).toBe(group);
  });

  it('gives undefined for an empty side', () => {
    const group = new ExceptionGroup([new TypeError('a')]);
    expect(group.split(RangeError)[0]).toBeUndefined();
    expect(group.subgroup(RangeError)).toBeUndefined();
    expect(group.split(TypeError)[1]).toBeUndefined();
    expect(new ExceptionGroup([]).split(() => false)).toEqual([undefined, undefined]);
  });

  it('derives groups that keep the message and cause', () => {
    const cause = new Error('root');
    const group = new ExceptionGroup([new TypeError('a'), new RangeError('b')], 'msg', { cause });
    const [match, rest] = group.split(TypeError);
    for (const part of [match, rest]) {
      expect(part).not.toBe(group);
      expect(part?.message).toBe('msg');
      expect(part?.cause).toBe(cause);
    }
    const derived = group.derive(['z']);
    expect(derived.errors).toEqual(['z']);
    expect(derived.message).toBe('msg');
  });

  it('lets a subclass keep its class in split results by overriding derive', () => {
    class TaskErrors extends ExceptionGroup {
      override derive(errors: Iterable<unknown>): TaskErrors {
        return new TaskErrors(errors, this.message, { cause: this.cause });
      }
    }
    const group = new TaskErrors([new TypeError('a'), new RangeError('b')], 'tasks');
    const [match] = group.split(TypeError);
    expect(match).toBeInstanceOf(TaskErrors);
    expect(new ExceptionGroup([]) instanceof TaskErrors).toBe(false);
  });

  it('is recognised by instanceof when created by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('./exception-group.js');
    const foreign = new other.ExceptionGroup([new TypeError('inner')]);
    expect(foreign).toBeInstanceOf(ExceptionGroup);
    // Nested groups from another copy are recursed into as well.
    const outer = new ExceptionGroup([foreign, new RangeError('r')]);
    const [match] = outer.split(TypeError);
    expect((match!.errors[0] as ExceptionGroup).errors).toHaveLength(1);
  });

  it('names `matcher` when split() or subgroup() is given something that is not a function', () => {
    // Reported: `new ExceptionGroup([e]).split(5)` failed with "test is not a function".
    const group = new core.ExceptionGroup([new TypeError('e')]);
    expect(() => group.split(5 as never)).toThrow(
      new TypeError('Expected `matcher` to be a function, got `5` (number)'),
    );
    expect(() => group.subgroup('TypeError' as never)).toThrow(
      new TypeError('Expected `matcher` to be a function, got `"TypeError"` (string)'),
    );
    expect(() => new core.ExceptionGroup([]).split(undefined as never)).toThrow(/`matcher`/);
  });
});
