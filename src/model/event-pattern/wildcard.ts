import { PatternError } from "./errors.ts";
import type { WildcardPattern } from "./types.ts";

/**
 * Wildcard values: `*` matches zero or more characters, `\*` a literal asterisk, `\\` a literal
 * backslash. AWS refuses two `*` in a row and a backslash before anything else; positions in its
 * messages count UTF-8 bytes of the quoted value (so the first character is position 1).
 */
export function parseWildcard(source: string): WildcardPattern {
  const bytes = Buffer.from(source, "utf8");
  const parts: string[] = [];
  let current: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === STAR) {
      if (bytes[i + 1] === STAR) throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      parts.push(Buffer.from(current).toString("utf8"));
      current = [];
    } else if (byte === BACKSLASH) {
      const next = bytes[i + 1];
      if (next !== STAR && next !== BACKSLASH)
        throw new PatternError(`Invalid escape character at pos ${i + 1}`);
      current.push(next);
      i++;
    } else if (byte !== undefined) {
      current.push(byte);
    }
  }
  parts.push(Buffer.from(current).toString("utf8"));
  return { source, parts };
}

const STAR = 0x2a;
const BACKSLASH = 0x5c;

/** Glob match in linear passes: the first part anchors the start, the last the end. */
export function matchWildcard(pattern: WildcardPattern, value: string): boolean {
  const { parts } = pattern;
  const first = parts[0] ?? "";
  if (parts.length === 1) return value === first;
  const last = parts[parts.length - 1] ?? "";
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? "";
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
