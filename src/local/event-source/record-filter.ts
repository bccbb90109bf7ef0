import { compilePattern } from "../../model/event-pattern/compile-pattern.ts";
import { matches } from "../../model/event-pattern/match.ts";

/**
 * Lambda's filterCriteria: a record is delivered when any filter (an event pattern) matches it;
 * the others are dropped, never retried. Absent or empty means every record.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function compileFilters(
  filters: readonly string[] | undefined,
): ((record: unknown) => boolean) | undefined {
  if (!filters || filters.length === 0) return undefined;
  const compiled = filters.map((f) => compilePattern(f));
  return (record) => compiled.some((c) => matches(c, record));
}

/**
 * What an SQS filter sees of a message: the event record with `body` parsed when it is a JSON
 * object (a `body` pattern then filters on its fields); a plain-text body stays a string, and only
 * a pattern on the whole string can match it.
 */
export function sqsFilterView(record: { readonly body: string }): unknown {
  let body: unknown = record.body;
  try {
    const parsed = JSON.parse(record.body) as unknown;
    if (parsed !== null && typeof parsed === "object") body = parsed;
  } catch {
    // Not JSON: filtered as the string it is.
  }
  return { ...record, body };
}
