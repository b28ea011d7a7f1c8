import { describe, expect, it } from 'vitest';
import { ContextVar, ContextVarToken } from './context-var.js';
import { LookupError } from './lookup-error.js';
import { resetting } from './resetting.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ContextVar', () => {
  it('throws a LookupError without a value or default, and returns the default', () => {
    const v = new ContextVar<number>('v');
    expect(() => v.get()).toThrow(LookupError);
    expect(() => v.get()).toThrow(/'v'/);
    expect(v.has()).toBe(false);
    expect(new ContextVar('d', { default: 3 }).get()).toBe(3);
    expect(new ContextVar<number | undefined>('u', { default: undefined }).get()).toBeUndefined();
    expect(v.name).toBe('v');
  });

  it('run() scopes a value over everything fn starts, asynchronously too', async () => {
    const v = new ContextVar('v', { default: 'outside' });
    const seen: string[] = [];
    const result = await v.run('inside', async () => {
      seen.push(v.get());
      await tick();
      setImmediate(() => seen.push(`timer ${v.get()}`));
      await tick();
      return v.get();
    });
    expect(result).toBe('inside');
    expect(seen).toEqual(['inside', 'timer inside']);
    expect(v.get()).toBe('outside');
  });

  it('keeps concurrent runs apart and nests', async () => {
    const v = new ContextVar<number>('v');
    const w = new ContextVar<string>('w', { default: '-' });
    const read = async (n: number) => {
      await tick();
      return v.run(n * 10, async () => {
        await tick();
        return `${v.get()}${w.get()}`;
      });
    };
    const results = await w.run('!', () =>
      Promise.all([read(1), read(2), v.run(3, () => read(3))]),
    );
    expect(results).toEqual(['10!', '20!', '30!']);
    expect(v.has()).toBe(false);
  });

  it('set() and reset() restore the previous value, or no value', () => {
    const v = new ContextVar<number>('set-reset');
    const w = new ContextVar<number>('other');
    v.run(1, () => {
      const token = v.set(2);
      expect(token).toBeInstanceOf(ContextVarToken);
      expect(token.oldValue).toBe(1);
      expect(v.get()).toBe(2);
      const wToken = w.set(5);
      v.reset(token);
      expect(v.get()).toBe(1);
      expect(w.get()).toBe(5); // other variables are left alone
      w.reset(wToken);
      expect(w.has()).toBe(false);
      expect(() => v.reset(token)).toThrow(/already been used/);
      expect(() => w.reset(token as never)).toThrow(TypeError);
    });
  });

  it('a value set synchronously is seen by work started before the reset', async () => {
    const v = new ContextVar('started', { default: 'none' });
    const started = (async () => {
      await tick();
      return v.get();
    })();
    const token = v.set('set');
    const inside = (async () => {
      await tick();
      return v.get();
    })();
    v.reset(token);
    expect(await started).toBe('none');
    expect(await inside).toBe('set');
    expect(v.get()).toBe('none');
  });

  it('validates its arguments', () => {
    expect(() => new ContextVar(1 as never)).toThrow(TypeError);
    expect(() => new ContextVar('x', 1 as never)).toThrow(TypeError);
    expect(() => new ContextVar('x').run(1, 2 as never)).toThrow(TypeError);
    expect(() => new ContextVar(1 as never)).toThrow(
      'Expected `name` to be a string, got `1` (number)',
    );
    expect(() => new ContextVar('x').reset({} as never)).toThrow(
      'Expected `token` to be a ContextVarToken, got `[object Object]` (object)',
    );
  });

  it('makes tokens in set() only: a token cannot be forged to reset a variable', () => {
    const v = new ContextVar('forged', { default: 0 });
    const Token = ContextVarToken as unknown as new (...args: unknown[]) => ContextVarToken<number>;
    expect(() => new Token(v, true, 42)).toThrow(TypeError);
    expect(v.get()).toBe(0);
  });
});

// Ports of aiotools' resetting tests (sync use).
describe('resetting', () => {
  it('sets the value for the block and restores it, nesting', () => {
    const v = new ContextVar<number>('nest');
    v.run(1, () => {
      {
        using _outer = resetting(v, 2);
        expect(v.get()).toBe(2);
        {
          using _inner = resetting(v, 3);
          expect(v.get()).toBe(3);
        }
        expect(v.get()).toBe(2);
      }
      expect(v.get()).toBe(1);
    });
  });

  it('restores on exceptions, and raises LookupError afterwards when there was no value', () => {
    const v = new ContextVar<number>('exc');
    expect(() => {
      using _ = resetting(v, 2);
      expect(v.get()).toBe(2);
      throw new RangeError('zero');
    }).toThrow(RangeError);
    expect(() => v.get()).toThrow(LookupError);
  });

  it('restores once when disposed twice and rejects non-variables', () => {
    const v = new ContextVar<number>('twice');
    const handle = resetting(v, 4);
    handle[Symbol.dispose]();
    handle[Symbol.dispose]();
    expect(v.has()).toBe(false);
    expect(() => resetting({} as never, 1)).toThrow(TypeError);
    expect(() => resetting(null as never, 1)).toThrow(
      'Expected `v` to be a ContextVar, got `null` (null)',
    );
  });
});
