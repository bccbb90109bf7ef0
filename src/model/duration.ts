/** A duration as people write it: `"30 seconds"`, `"1 minute"`, `"14 days"`. */
export type DurationUnit = "second" | "seconds" | "minute" | "minutes" | "hour" | "hours" | "day" | "days";
export type Duration = `${number} ${DurationUnit}`;

const SECONDS_PER_UNIT: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
};

/** Seconds in a duration, or undefined when the text is not a duration. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?) (second|minute|hour|day)s?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = SECONDS_PER_UNIT[match[2] ?? ""];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

const UNITS_LARGEST_FIRST = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
] as const;

/** A whole number of seconds in the largest unit that divides it: `900` → `"15 minutes"`. */
export function formatSeconds(seconds: number): Duration {
  for (const [unit, size] of UNITS_LARGEST_FIRST) {
    if (seconds >= size && seconds % size === 0) return plural(seconds / size, unit);
  }
  return plural(seconds, "second");
}

function plural(count: number, unit: string): Duration {
  return `${count} ${unit}${count === 1 ? "" : "s"}` as Duration;
}

const SHORT_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds in a duration as `sluice time advance` and the test kit's `clock.advance` take it:
 * short (`"90s"`, `"90m"`, `"2h"`, `"500ms"`, `"1d"`) or written out (`"5 minutes"`); undefined
 * when the text is neither. The one parser both use, so a test and the CLI agree on what it means.
 */
export function parseAdvanceDuration(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const short = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (short) return Number(short[1]) * (SHORT_UNIT_MS[short[2] ?? ""] ?? 1000);
  const seconds = parseDuration(text);
  return seconds === undefined ? undefined : seconds * 1000;
}
