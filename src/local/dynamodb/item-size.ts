/**
 * An item's size as DynamoDB computes it for the 400 KB limit, capacity units and the 1 MB page:
 * the UTF-8 bytes of each attribute name plus its value's size. Strings: UTF-8 bytes; binaries:
 * their bytes; numbers: about one byte per two significant digits plus one; BOOL and NULL: 1;
 * sets: the sum of their members; lists and maps: 3 bytes plus 1 per element plus the elements
 * (and, in maps, their names).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * The number formula (sign and the parity of digits and exponent) is the one dynalite measured
 * against DynamoDB; it gives DynamoDB Local's TableSizeBytes too.
 */
import { type AttributeValue, type Item, parseDecimal } from "./expressions/index.ts";

export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item))
    size += Buffer.byteLength(name, "utf8") + valueSize(value);
  return size;
}

export function valueSize(value: AttributeValue): number {
  if ("S" in value) return Buffer.byteLength(value.S, "utf8");
  if ("N" in value) return numberSize(value.N);
  if ("B" in value) return Buffer.from(value.B, "base64").length;
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("SS" in value) return value.SS.reduce((sum, member) => sum + Buffer.byteLength(member, "utf8"), 0);
  if ("NS" in value) return value.NS.reduce((sum, member) => sum + numberSize(member), 0);
  if ("BS" in value) return value.BS.reduce((sum, member) => sum + Buffer.from(member, "base64").length, 0);
  if ("L" in value) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  return Object.entries(value.M).reduce(
    (sum, [name, element]) => sum + 1 + Buffer.byteLength(name, "utf8") + valueSize(element),
    3,
  );
}

function numberSize(text: string): number {
  const value = parseDecimal(text);
  if (value === undefined || value.coefficient === 0n) return 1;
  const negative = value.coefficient < 0n;
  const digits = (negative ? -value.coefficient : value.coefficient).toString().length;
  const leading = value.exponent + digits - 1;
  const padding = digits % 2 !== 0 || leading % 2 !== 0 ? 0 : 1;
  return 1 + Math.ceil(digits / 2) + padding + (negative ? 1 : 0);
}
