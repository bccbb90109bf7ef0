/** CloudWatch Logs' name and retention rules (LIMITS.logs), as InvalidParameterException. */
import { LIMITS } from "../../model/limits.ts";
import { invalidParameter } from "./errors.ts";

export function checkGroupName(name: string): void {
  const row = LIMITS.logs.logGroupName;
  if (name.length < row.min || name.length > row.max || !row.pattern.test(name)) {
    throw invalidParameter(
      `Log group name "${name}" is not valid: ${row.min}–${row.max} characters of ${row.charset} are allowed.`,
    );
  }
}

export function checkStreamName(name: string): void {
  const row = LIMITS.logs.logStreamName;
  if (name.length < row.min || name.length > row.max || !row.pattern.test(name)) {
    throw invalidParameter(
      `Log stream name "${name}" is not valid: ${row.min}–${row.max} characters, ${row.charset}.`,
    );
  }
}

export function checkRetention(days: number): void {
  if (!(LIMITS.logs.retentionInDays.values as readonly string[]).includes(String(days))) {
    throw invalidParameter(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${LIMITS.logs.retentionInDays.values.join(", ")}]`,
    );
  }
}
