import { wallMs } from "./calendar.ts";
import { ScheduleExpressionError } from "./error.ts";

/**
 * IANA time zones through the platform's Intl data (no dependency). Converts between instants and
 * wall-clock time, and tells which instants a wall-clock time names: none in a spring-forward
 * gap, two in a fall-back overlap.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

export function checkTimeZone(timeZone: string): void {
  if (formatter(timeZone) === undefined) {
    throw new ScheduleExpressionError(
      timeZone,
      `unknown time zone "${timeZone}"`,
      'an IANA time zone name such as "UTC", "America/New_York" or "Europe/London"',
      "use a name from the IANA time zone database",
    );
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
  } catch {
    return undefined;
  }
  formatters.set(timeZone, f);
  return f;
}

function isUtc(timeZone: string): boolean {
  return timeZone === "UTC" || timeZone === "Etc/UTC" || timeZone === "GMT" || timeZone === "Etc/GMT";
}

/** Milliseconds to add to an instant to get its wall-clock time in the zone. */
function zoneOffsetMs(timeZone: string, instantMs: number): number {
  if (isUtc(timeZone)) return 0;
  const f = formatter(timeZone);
  if (!f) throw new RangeError(`unknown time zone ${timeZone}`);
  const parts: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(instantMs))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === "BC" || parts.era === "B") year = 1 - year;
  const wall = wallMs({
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  });
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The wall-clock number (see schedule-calendar.ts) of an instant in the zone. */
export function toWall(timeZone: string, instantMs: number): number {
  return instantMs + zoneOffsetMs(timeZone, instantMs);
}

/**
 * The instants that show wall-clock time `wall` in the zone, earliest first: none when the clocks
 * skip it, two when they show it twice. Zones change offset at most once in any 30 hours, so the
 * offsets in force 15 hours either side cover every candidate.
 */
export function instantsOf(timeZone: string, wall: number): number[] {
  if (isUtc(timeZone)) return [wall];
  const hour = 3_600_000;
  const offsets = new Set([
    zoneOffsetMs(timeZone, wall - 15 * hour),
    zoneOffsetMs(timeZone, wall + 15 * hour),
  ]);
  const instants: number[] = [];
  for (const offset of offsets) {
    const instant = wall - offset;
    if (zoneOffsetMs(timeZone, instant) === offset) instants.push(instant);
  }
  return instants.sort((a, b) => a - b);
}
