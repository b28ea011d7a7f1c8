import { describe, expect, it } from 'vitest';
import {
  validateBoolean,
  validateDeadline,
  validateDuration,
  validateFunction,
  validateInstanceOf,
  validateInteger,
  validateOptions,
  validateSignal,
  validateSignalNames,
} from './validate.js';

describe('validators', () => {
  it('validateDuration accepts finite numbers ≥ 0 and names the argument otherwise', () => {
    for (const ok of [0, 1.5, 2 ** 40]) expect(() => validateDuration(ok, 'ms')).not.toThrow();
    expect(() => validateDuration(-1, 'ms')).toThrow(
      new RangeError('Expected `ms` to be a finite number ≥ 0, got `-1` (number)'),
    );
    expect(() => validateDuration(Number.NaN, 'options.timeout')).toThrow(/`options.timeout`/);
    expect(() => validateDuration(Number.POSITIVE_INFINITY, 'ms')).toThrow(RangeError);
    expect(() => validateDuration('5', 'ms')).toThrow(
      new TypeError('Expected `ms` to be a number of milliseconds, got `"5"` (string)'),
    );
    expect(() => validateDuration(null, 'ms')).toThrow(/got `null` \(null\)/);
  });

  it('validateDeadline accepts clock times and Infinity, but not NaN or -Infinity', () => {
    for (const ok of [0, -5, 1e12, Number.POSITIVE_INFINITY]) {
      expect(() => validateDeadline(ok, 'deadline')).not.toThrow();
    }
    expect(() => validateDeadline(Number.NaN, 'deadline')).toThrow(RangeError);
    expect(() => validateDeadline(Number.NEGATIVE_INFINITY, 'deadline')).toThrow(RangeError);
    expect(() => validateDeadline(10n, 'deadline')).toThrow(TypeError);
  });

  it('validateFunction names the argument and what it received', () => {
    expect(() => validateFunction(() => {}, 'fn')).not.toThrow();
    expect(() => validateFunction(42, 'fn')).toThrow(
      new TypeError('Expected `fn` to be a function, got `42` (number)'),
    );
    expect(() => validateFunction({}, 'fn')).toThrow(/`\[object Object\]` \(object\)/);
  });

  it('validateSignal accepts undefined and AbortSignals only', () => {
    expect(() => validateSignal(undefined, 'options.signal')).not.toThrow();
    expect(() => validateSignal(AbortSignal.abort(), 'options.signal')).not.toThrow();
    expect(() => validateSignal(null, 'options.signal')).toThrow(TypeError);
    expect(() => validateSignal({ aborted: false }, 'options.signal')).toThrow(
      /`options.signal` to be an AbortSignal/,
    );
  });

  it('validateOptions accepts undefined and objects only', () => {
    expect(() => validateOptions(undefined, 'options')).not.toThrow();
    expect(() => validateOptions({}, 'options')).not.toThrow();
    expect(() => validateOptions(null, 'options')).toThrow(TypeError);
    expect(() => validateOptions('fast', 'options')).toThrow(
      new TypeError('Expected `options` to be an object, got `"fast"` (string)'),
    );
  });

  it('validateBoolean accepts undefined and booleans only', () => {
    for (const ok of [undefined, true, false]) {
      expect(() => validateBoolean(ok, 'options.shield')).not.toThrow();
    }
    expect(() => validateBoolean('yes', 'options.continueOnError')).toThrow(
      new TypeError('Expected `options.continueOnError` to be a boolean, got `"yes"` (string)'),
    );
    expect(() => validateBoolean(null, 'options.shield')).toThrow(/got `null` \(null\)/);
    expect(() => validateBoolean(1, 'options.shield')).toThrow(TypeError);
  });

  it('validateInteger accepts safe integers from the minimum on', () => {
    for (const ok of [0, 1, 2 ** 40]) {
      expect(() => validateInteger(ok, 'options.maxChildren')).not.toThrow();
    }
    expect(() => validateInteger(1.5, 'options.maxChildren')).toThrow(
      new RangeError('Expected `options.maxChildren` to be an integer ≥ 0, got `1.5` (number)'),
    );
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => validateInteger(bad, 'n')).toThrow(RangeError);
    }
    expect(() => validateInteger(0, 'n', { min: 1 })).toThrow(/to be an integer ≥ 1, got `0`/);
    expect(() => validateInteger('3', 'n')).toThrow(
      new TypeError('Expected `n` to be an integer, got `"3"` (string)'),
    );
  });

  it('validateInstanceOf names the accepted classes and what it received', () => {
    expect(() => validateInstanceOf(new Map(), [Map, Set], 'store')).not.toThrow();
    expect(() => validateInstanceOf(new Set(), [Map, Set], 'store')).not.toThrow();
    expect(() => validateInstanceOf(42, [Map, Set], 'store')).toThrow(
      new TypeError('Expected `store` to be a Map or Set, got `42` (number)'),
    );
    expect(() => validateInstanceOf({}, [WeakMap, Map, Set], 'store')).toThrow(
      'Expected `store` to be a WeakMap, Map or Set, got `[object Object]` (object)',
    );
    expect(() => validateInstanceOf(undefined, [Error], 'cause')).toThrow(
      'Expected `cause` to be an Error, got `undefined` (undefined)',
    );
  });

  it('validateSignalNames accepts known catchable signal names only, naming the element', () => {
    for (const ok of [[], ['SIGINT', 'SIGTERM'], ['SIGHUP', 'SIGUSR2']]) {
      expect(() => validateSignalNames(ok, 'options.signals')).not.toThrow();
    }
    expect(() => validateSignalNames(['SIGINT', 'SIGKILL'], 'options.signals')).toThrow(
      new RangeError(
        'Expected `options.signals[1]` to be a signal that can be caught, got `"SIGKILL"` (string): SIGKILL and SIGSTOP cannot be handled',
      ),
    );
    expect(() => validateSignalNames(['SIGSTOP'], 'options.signals')).toThrow(RangeError);
    expect(() => validateSignalNames(['SIGFOO'], 'options.signals')).toThrow(
      new RangeError(
        'Expected `options.signals[0]` to be a signal name known to os.constants.signals, got `"SIGFOO"` (string)',
      ),
    );
    expect(() => validateSignalNames(['toString'], 's')).toThrow(RangeError);
    expect(() => validateSignalNames([42], 'options.signals')).toThrow(
      new TypeError(
        'Expected `options.signals[0]` to be a signal name such as "SIGTERM", got `42` (number)',
      ),
    );
    expect(() => validateSignalNames('SIGINT', 'options.signals')).toThrow(
      new TypeError(
        'Expected `options.signals` to be an array of signal names, got `"SIGINT"` (string)',
      ),
    );
  });
});
