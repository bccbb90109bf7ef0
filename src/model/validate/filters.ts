/**
 * Reads a mapping's `filters`, Lambda's filterCriteria: up to 5 event patterns (the quota; 10 on
 * request), each checked with the EventBridge pattern parser Lambda's filter syntax shares
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html), and kept as the
 * JSON text CreateEventSourceMapping's `Filter.Pattern` takes.
 */
import { compilePattern } from "../event-pattern/compile-pattern.ts";
import { PatternError } from "../event-pattern/errors.ts";
import { LIMITS } from "../limits.ts";
import { type Issues, isRecord, join } from "./values.ts";

const FILTERS = LIMITS.streamEventSourceMapping.filters;
const PATTERN_LENGTH = LIMITS.streamEventSourceMapping.filterPatternLength;
const EXAMPLE = `filters: [{ eventName: ["INSERT"] }]`;

export function readFilters(issues: Issues, path: string, value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length < (FILTERS.min ?? 1)) {
    issues.add(
      path,
      value,
      Array.isArray(value)
        ? "filters is empty: leave it out to deliver every record"
        : "filters must be a list of event patterns",
      `a list of ${FILTERS.min} to ${FILTERS.max} event patterns`,
      Array.isArray(value) ? "remove filters" : `write e.g. ${EXAMPLE}`,
    );
    return undefined;
  }
  if (value.length > FILTERS.max) {
    issues.add(
      path,
      value.length,
      `${value.length} filters is above Lambda's quota of ${FILTERS.max} per event source mapping`,
      `at most ${FILTERS.max} event patterns (a quota increase allows up to 10)`,
      "merge patterns (a pattern's fields may list several values), or split the consumer",
    );
    return undefined;
  }
  const patterns: string[] = [];
  value.forEach((pattern: unknown, index) => {
    const json = readPattern(issues, join(path, index), pattern);
    if (json !== undefined) patterns.push(json);
  });
  return patterns.length === value.length ? patterns : undefined;
}

function readPattern(issues: Issues, path: string, pattern: unknown): string | undefined {
  if (!isRecord(pattern)) {
    issues.add(
      path,
      pattern,
      "a filter must be an event pattern object",
      "an object",
      `write e.g. ${EXAMPLE}`,
    );
    return undefined;
  }
  try {
    compilePattern(pattern);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    issues.add(
      path,
      pattern,
      `the filter is not a valid event pattern: ${error.message}`,
      "an event pattern: fields mapped to lists of values or matchers such as { prefix: ... }",
      "fix the pattern as the message says",
    );
    return undefined;
  }
  const json = JSON.stringify(pattern);
  if (json.length <= PATTERN_LENGTH.max) return json;
  issues.add(
    path,
    pattern,
    `the filter is ${json.length} characters as JSON, above Lambda's limit of ${PATTERN_LENGTH.max}`,
    `a pattern of at most ${PATTERN_LENGTH.max} characters`,
    "shorten the pattern, or split it over several filters",
  );
  return undefined;
}
