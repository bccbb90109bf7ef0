import { compareDecimal, type Decimal, parseDecimal } from "./decimal.ts";

/**
 * An attribute value in DynamoDB's wire shape (one key per value): numbers travel as decimal
 * text and binaries as base64 text, exactly as DynamoDB's JSON protocol carries them.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: AttributeMap }
  | { readonly L: readonly AttributeValue[] }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] };

export type AttributeMap = { readonly [name: string]: AttributeValue };
/** An item: its top-level attributes by name. */
export type Item = AttributeMap;

export const ATTRIBUTE_TYPES = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export function typeOf(value: AttributeValue): AttributeType {
  for (const type of ATTRIBUTE_TYPES) if (type in value) return type;
  throw new TypeError(`not an AttributeValue: ${JSON.stringify(value)}`);
}

export function decimalOf(text: string): Decimal {
  const value = parseDecimal(text);
  if (value === undefined) throw new TypeError(`not a DynamoDB number: ${text}`);
  return value;
}

export function bytesOf(base64: string): Buffer {
  return Buffer.from(base64, "base64");
}

/** Strings order by their UTF-8 bytes, as DynamoDB orders them (not by UTF-16 code units). */
export function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** Binaries order as unsigned bytes. */
export function compareBinaries(a: string, b: string): number {
  return Buffer.compare(bytesOf(a), bytesOf(b));
}

/**
 * The order of two scalars of the same ordered type (N, S, B), or undefined when they are not
 * comparable (different types, or a type without an order): DynamoDB then treats `<`, `>`,
 * BETWEEN as false.
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if ("N" in a && "N" in b) return compareDecimal(decimalOf(a.N), decimalOf(b.N));
  if ("S" in a && "S" in b) return compareStrings(a.S, b.S);
  if ("B" in a && "B" in b) return compareBinaries(a.B, b.B);
  return undefined;
}

function sameMembers(a: readonly string[], b: readonly string[], key: (member: string) => string): boolean {
  if (a.length !== b.length) return false;
  const members = new Set(a.map(key));
  return b.every((member) => members.has(key(member)));
}

/** A number set member's identity: its canonical value, so "1.0" and "1" are one member. */
export function numberKey(text: string): string {
  const value = decimalOf(text);
  return `${value.coefficient}e${value.exponent}`;
}

/** A binary set member's identity: its bytes. */
export function binaryKey(base64: string): string {
  return bytesOf(base64).toString("hex");
}

/** Deep equality with DynamoDB's meaning: numbers by value, sets as sets, maps by key. */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  if ("S" in a) return "S" in b && a.S === b.S;
  if ("N" in a) return "N" in b && compareDecimal(decimalOf(a.N), decimalOf(b.N)) === 0;
  if ("B" in a) return "B" in b && compareBinaries(a.B, b.B) === 0;
  if ("BOOL" in a) return "BOOL" in b && a.BOOL === b.BOOL;
  if ("NULL" in a) return "NULL" in b;
  if ("SS" in a) return "SS" in b && sameMembers(a.SS, b.SS, (member) => member);
  if ("NS" in a) return "NS" in b && sameMembers(a.NS, b.NS, numberKey);
  if ("BS" in a) return "BS" in b && sameMembers(a.BS, b.BS, binaryKey);
  if ("L" in a) {
    return (
      "L" in b &&
      a.L.length === b.L.length &&
      a.L.every((item, i) => equalValues(item, b.L[i] as AttributeValue))
    );
  }
  if (!("M" in b)) return false;
  const keys = Object.keys(a.M);
  if (keys.length !== Object.keys(b.M).length) return false;
  return keys.every(
    (key) => Object.hasOwn(b.M, key) && equalValues(a.M[key] as AttributeValue, b.M[key] as AttributeValue),
  );
}

/** A readable rendering of a value for error messages, in AWS's `{S:abc}` style. */
export function describeValue(value: AttributeValue): string {
  const type = typeOf(value);
  const inner = (value as Record<string, unknown>)[type];
  return `{${type}:${Array.isArray(inner) ? `[${inner.join(", ")}]` : String(inner)}}`;
}

/**
 * A new attribute map without a prototype, so an attribute named `__proto__` or `constructor` is
 * data like any other (the rule for everything that comes from the wire, docs/security.md).
 * Object.setPrototypeOf keeps V8's fast properties; Object.create(null) makes a dictionary, slower
 * to fill, read and write as JSON (an item of three attributes: ~0.3 µs more).
 */
export function newAttributeMap(): { [name: string]: AttributeValue } {
  return Object.setPrototypeOf({}, null) as { [name: string]: AttributeValue };
}

/** A deep copy of an item whose maps (and the item itself) have no prototype. */
export function copyItem(item: Item): { [name: string]: AttributeValue } {
  const copy = newAttributeMap();
  for (const [name, value] of Object.entries(item)) copy[name] = copyValue(value);
  return copy;
}

/** A deep copy of a value whose maps have no prototype. */
export function copyValue(value: AttributeValue): AttributeValue {
  if ("M" in value) return { M: copyItem(value.M) };
  if ("L" in value) return { L: value.L.map(copyValue) };
  if ("SS" in value) return { SS: [...value.SS] };
  if ("NS" in value) return { NS: [...value.NS] };
  if ("BS" in value) return { BS: [...value.BS] };
  return { ...value };
}
