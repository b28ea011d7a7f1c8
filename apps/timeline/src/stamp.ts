// Virtual times as a clock on the wall shows them.

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * `ms` since midnight as `HH:MM:SS.mmm`. Hours go on past 23 (`24:00:02.000` is two seconds
 * after the next midnight), so a stamp after the end of the day still sorts after it.
 */
export function stamp(ms: number): string {
  const total = Math.floor(ms);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1_000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(total % 1_000, 3)}`;
}

/** `HH:MM` (or `H:MM`) as ms since midnight; `undefined` when it is not such a time. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return undefined;
  return (hours * 60 + minutes) * 60_000;
}

/** A duration in words: `1 min`, `2 min 30 s`, `5 s`, `250 ms`. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** An integer with thousands separators, the same in every locale: `86,402,000`. */
export function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}
