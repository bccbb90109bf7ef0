import { withinLimit } from "../../model/limit-rules.ts";
import type { LimitRow } from "../../model/limits.ts";
import { invalidParameter } from "./errors.ts";

/** A request parameter against its row of the limits table, refused in SQS's words. */
export function checkInteger(parameter: string, value: number, limit: LimitRow): number {
  if (!withinLimit(limit, value)) {
    throw invalidParameter(
      parameter,
      value,
      `Must be an integer from ${limit.min} to ${limit.max}, if provided.`,
    );
  }
  return value;
}
