import { isBinaryType } from "./md5.ts";
import type { MessageAttributes, MessageAttributeValue } from "./types.ts";

/** Attributes as stored in SQLite: JSON, binary values in base64, NULL when there are none. */
interface StoredAttribute {
  t: string;
  s?: string;
  b?: string;
}

export function encodeAttributes(attributes: MessageAttributes | undefined): string | null {
  if (!attributes) return null;
  const names = Object.keys(attributes);
  if (names.length === 0) return null;
  // Attribute names come from the wire: fromEntries defines own properties, so `__proto__` stays a
  // name like any other (an assignment would set the prototype).
  const stored = Object.fromEntries(
    Object.entries(attributes).map(([name, a]): [string, StoredAttribute] => [
      name,
      isBinaryType(a.dataType)
        ? { t: a.dataType, b: Buffer.from(a.binaryValue ?? new Uint8Array()).toString("base64") }
        : { t: a.dataType, s: a.stringValue ?? "" },
    ]),
  );
  return JSON.stringify(stored);
}

export function decodeAttributes(json: string | null): MessageAttributes {
  if (!json) return {};
  const stored = JSON.parse(json) as Record<string, StoredAttribute>;
  return Object.fromEntries(
    Object.entries(stored).map(([name, a]): [string, MessageAttributeValue] => [
      name,
      a.b !== undefined
        ? { dataType: a.t, binaryValue: new Uint8Array(Buffer.from(a.b, "base64")) }
        : { dataType: a.t, stringValue: a.s ?? "" },
    ]),
  );
}
