import { describe, expect, it } from 'vitest';
import { duration, grouped, parseTimeOfDay, stamp } from './stamp.js';

describe('stamp', () => {
  it('shows ms since midnight as HH:MM:SS.mmm, hours going on past 23', () => {
    expect(stamp(0)).toBe('00:00:00.000');
    expect(stamp(7_261_250)).toBe('02:01:01.250');
    expect(stamp(86_402_000)).toBe('24:00:02.000');
    expect(stamp(1.9)).toBe('00:00:00.001');
  });
});

describe('parseTimeOfDay', () => {
  it('reads HH:MM from 00:00 to 24:00', () => {
    expect(parseTimeOfDay('06:10')).toBe(22_200_000);
    expect(parseTimeOfDay('6:10')).toBe(22_200_000);
    expect(parseTimeOfDay('24:00')).toBe(86_400_000);
    for (const bad of ['24:01', '25:00', '12:60', '12', '12:5', 'noon', '']) {
      expect(parseTimeOfDay(bad), bad).toBeUndefined();
    }
  });
});

describe('duration', () => {
  it('says a duration in words', () => {
    expect(duration(250)).toBe('250 ms');
    expect(duration(5_000)).toBe('5 s');
    expect(duration(60_000)).toBe('1 min');
    expect(duration(150_000)).toBe('2 min 30 s');
    expect(duration(421_000)).toBe('7 min 1 s');
  });
});

describe('grouped', () => {
  it('groups the digits by three, whatever the locale', () => {
    expect(grouped(0)).toBe('0');
    expect(grouped(999)).toBe('999');
    expect(grouped(1_000)).toBe('1,000');
    expect(grouped(86_402_000)).toBe('86,402,000');
  });
});
