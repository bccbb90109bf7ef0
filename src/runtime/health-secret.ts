import { createHash, timingSafeEqual } from "node:crypto";

/**
 * True when `given` equals `expected`, compared in constant time. Both are hashed first, so the
 * comparison takes the same time whatever their lengths and wherever they differ. A missing or
 * empty expected secret matches nothing: an unconfigured health check fails closed.
 */
export function secretMatches(given: string | undefined, expected: string | undefined): boolean {
  const a = digest(given ?? "");
  const b = digest(expected ?? "");
  const equal = timingSafeEqual(a, b);
  return equal && given !== undefined && expected !== undefined && expected !== "";
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
