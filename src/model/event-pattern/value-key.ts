import { ipToHex } from "./ip-address.ts";
import { numericKey } from "./numeric-key.ts";

/**
 * Keys under which exact values are compared. A string and a number never share a key ("5" is
 * not 5), numbers in EventBridge's numeric range compare by value (5 equals 5.0), numbers outside
 * it by their text, and an IP-literal string in a pattern matches the same address written
 * differently in the event (AWS compares addresses, not text).
 */
export function stringKey(value: string): string {
  return `s${value}`;
}

export function ipKey(hex: string): string {
  return `i${hex}`;
}

export function numberKey(value: number): string {
  const key = numericKey(value);
  return key === undefined ? `t${String(value)}` : `n${key}`;
}

export function literalKey(value: boolean | null): string {
  if (value === null) return "z";
  return value ? "b1" : "b0";
}

/** The key an exact pattern value is indexed under. */
export function patternValueKey(value: string | number | boolean | null): string {
  if (typeof value === "string") {
    const hex = ipToHex(value);
    return hex === undefined ? stringKey(value) : ipKey(hex);
  }
  if (typeof value === "number") return numberKey(value);
  return literalKey(value);
}
