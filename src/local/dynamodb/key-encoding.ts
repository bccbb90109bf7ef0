/**
 * Key values as bytes whose unsigned byte order (SQLite's BLOB order, memcmp) is DynamoDB's order
 * of the values, so a Query's sort-key range is a range scan of an index:
 * - S: the UTF-8 bytes (DynamoDB orders strings by their UTF-8 bytes);
 * - B: the bytes themselves (unsigned);
 * - N: sign, decimal exponent and digits, see `encodeNumber`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { type AttributeValue, parseDecimal } from "./expressions/index.ts";

export type KeyType = "S" | "N" | "B";

/** The encoding of an absent sort key (tables with a partition key only): sorts before any value. */
export const NO_SORT_KEY: Buffer = Buffer.alloc(0);

export function encodeKey(value: AttributeValue, type: KeyType): Buffer {
  if (type === "S" && "S" in value) return Buffer.from(value.S, "utf8");
  if (type === "B" && "B" in value) return Buffer.from(value.B, "base64");
  if (type === "N" && "N" in value) return encodeNumber(value.N);
  throw new TypeError(`key value ${JSON.stringify(value)} is not of type ${type}`);
}

const ZERO = 0x80;
const POSITIVE = 0xc0;
const NEGATIVE = 0x40;
/** Exponents (−130 … 125) shifted into two unsigned bytes. */
const EXPONENT_BIAS = 0x8000;
/** Ends a negative number's digits, above every digit byte, so −12 sorts after −125. */
const NEGATIVE_END = 0xff;

/**
 * A number as: one sign byte (negative < zero < positive); then, for non-zero numbers, the
 * exponent of the leading digit (two bytes, big-endian, inverted for negatives, so larger
 * magnitudes sort later among positives and earlier among negatives); then the significant digits
 * without trailing zeros, one byte each (1–10, inverted for negatives, which end with 0xFF). The
 * decimal is normalised first, so equal numbers ("1", "1.0", "10E-1") encode alike.
 */
export function encodeNumber(text: string): Buffer {
  const value = parseDecimal(text);
  if (value === undefined) throw new TypeError(`not a DynamoDB number: ${text}`);
  if (value.coefficient === 0n) return Buffer.from([ZERO]);
  const negative = value.coefficient < 0n;
  const digits = (negative ? -value.coefficient : value.coefficient).toString();
  const leading = value.exponent + digits.length - 1;
  const exponent = negative ? 0xffff - (leading + EXPONENT_BIAS) : leading + EXPONENT_BIAS;
  const out = Buffer.alloc(3 + digits.length + (negative ? 1 : 0));
  out[0] = negative ? NEGATIVE : POSITIVE;
  out.writeUInt16BE(exponent, 1);
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    out[3 + i] = negative ? 10 - digit : digit + 1;
  }
  if (negative) out[out.length - 1] = NEGATIVE_END;
  return out;
}

/**
 * A stable 32-bit hash of a partition key's bytes (FNV-1a): Scan walks a table in hash order, as
 * DynamoDB does, and a parallel Scan's segment is a contiguous range of hashes.
 */
export function partitionHash(encoded: Buffer): number {
  let hash = 0x811c9dc5;
  for (const byte of encoded) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The hashes segment `segment` of `total` covers: [low, high). */
export function segmentRange(segment: number, total: number): readonly [number, number] {
  const span = 2 ** 32;
  return [Math.floor((segment * span) / total), Math.floor(((segment + 1) * span) / total)];
}
