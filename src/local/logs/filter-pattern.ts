/**
 * CloudWatch Logs term filter patterns
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 * `ERROR Exception` (every term), `"Internal Server Error"` (a phrase), `?ERROR ?WARN` (any of
 * them), `ERROR -Retrying` (not this term). Terms are case-sensitive. JSON, space-delimited and
 * regex patterns are refused rather than silently matched differently.
 */
import { invalidParameter } from "./errors.ts";

export type EventMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const text = (pattern ?? "").trim();
  if (text === "" || text === '""') return () => true;
  if (text.startsWith("{") || text.startsWith("[") || /^%.+%$/.test(text)) {
    throw invalidParameter(
      `Sluice's CloudWatch Logs matches term patterns only (terms, "quoted phrases", ?any, -excluded); "${text}" is a JSON, space-delimited or regex pattern it does not evaluate.`,
    );
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const match of text.matchAll(/([-?]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    if (term === "") continue;
    if (match[1] === "?") any.push(term);
    else if (match[1] === "-") none.push(term);
    else all.push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}
