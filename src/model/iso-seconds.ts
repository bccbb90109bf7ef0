/**
 * A time as AWS writes it in events and Scheduler's context attributes: ISO 8601 in UTC, to the
 * second (`2026-01-02T03:04:05Z`).
 */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
