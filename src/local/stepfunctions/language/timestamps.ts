/**
 * Timestamps as Step Functions accepts them: RFC 3339 (ISO 8601 profile) with an uppercase `T`
 * between date and time and an uppercase `Z` when there is no numeric offset, e.g.
 * `2016-03-14T01:59:00Z` (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/** Epoch milliseconds, or undefined when the text is not such a timestamp. */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
