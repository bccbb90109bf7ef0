import { invalidParameter } from "./errors.ts";

/** SQS's ceiling on a message's visibility timeout, counted from its receive (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

export function checkInteger(parameter: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidParameter(parameter, value, `Must be an integer from ${min} to ${max}, if provided.`);
  }
  return value;
}
