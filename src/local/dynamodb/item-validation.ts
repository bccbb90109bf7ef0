/**
 * Checks of the items and keys a request carries, with DynamoDB's messages, returning copies
 * with numbers in DynamoDB's canonical form ("01.50" → "1.5", as DynamoDB answers them) and maps
 * without prototypes. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { LIMITS } from "../../model/limits.ts";
import { invalidParameter, validation } from "./errors.ts";
import {
  type AttributeValue,
  checkStorable,
  DynamoDbValidationError,
  formatDecimal,
  type Item,
  newAttributeMap,
  parseDecimal,
} from "./expressions/index.ts";
import { itemSize, valueSize } from "./item-size.ts";
import type { KeyAttribute, KeyDef, TableMeta } from "./table-meta.ts";

const TYPES = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"] as const;

function canonicalNumber(text: unknown): string {
  if (typeof text !== "string") throw validation("A value provided cannot be converted into a number");
  const value = parseDecimal(text);
  if (value === undefined) throw validation("A value provided cannot be converted into a number");
  checkStorable(value);
  return formatDecimal(value);
}

function isBase64(text: unknown): text is string {
  return typeof text === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

/** One attribute value checked and canonicalised (numbers, maps), recursively. */
export function checkValue(raw: unknown): AttributeValue {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  // A loop rather than TYPES.filter: this runs for every attribute of every item written.
  let type: (typeof TYPES)[number] | undefined;
  let present = 0;
  for (const candidate of TYPES) {
    if ((raw as Record<string, unknown>)[candidate] === undefined) continue;
    present += 1;
    type ??= candidate;
  }
  if (type === undefined) {
    throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (present > 1) {
    throw validation(
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    );
  }
  const inner = (raw as Record<string, unknown>)[type];
  switch (type) {
    case "S":
      if (typeof inner !== "string") throw validation("Supplied AttributeValue S is not a string");
      return { S: inner };
    case "N":
      return { N: canonicalNumber(inner) };
    case "B":
      if (!isBase64(inner)) throw validation("Supplied AttributeValue B is not valid base64");
      return { B: inner };
    case "BOOL":
      if (typeof inner !== "boolean") throw validation("Supplied AttributeValue BOOL is not a boolean");
      return { BOOL: inner };
    case "NULL":
      if (inner !== true) throw invalidParameter("Null attribute value types must have the value of true");
      return { NULL: true };
    case "L":
      if (!Array.isArray(inner)) throw validation("Supplied AttributeValue L is not a list");
      return { L: inner.map(checkValue) };
    case "M":
      return { M: checkMap(inner) };
    case "SS":
      return { SS: checkSet(inner, "SS") };
    case "NS":
      return { NS: checkSet(inner, "NS") };
    case "BS":
      return { BS: checkSet(inner, "BS") };
  }
}

function checkSet(inner: unknown, type: "SS" | "NS" | "BS"): string[] {
  if (!Array.isArray(inner)) throw validation(`Supplied AttributeValue ${type} is not a list`);
  if (inner.length === 0) {
    throw type === "SS"
      ? invalidParameter("An string set  may not be empty")
      : type === "NS"
        ? invalidParameter("An number set  may not be empty")
        : invalidParameter("Binary sets should not be empty");
  }
  const members = inner.map((member) => {
    if (type === "NS") return canonicalNumber(member);
    if (type === "BS" ? !isBase64(member) : typeof member !== "string") {
      throw validation(`Supplied AttributeValue ${type} has a member of the wrong type`);
    }
    return member as string;
  });
  const identities = members.map((member) =>
    type === "BS" ? Buffer.from(member, "base64").toString("hex") : member,
  );
  if (new Set(identities).size !== identities.length) {
    if (type === "NS") throw validation("Input collection contains duplicates");
    throw invalidParameter(`Input collection [${members.join(", ")}] contains duplicates`);
  }
  return members;
}

function checkMap(raw: unknown): Record<string, AttributeValue> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw validation("Supplied AttributeValue M is not a map");
  }
  const out = newAttributeMap();
  for (const [name, value] of Object.entries(raw)) out[name] = checkValue(value);
  return out;
}

/** A map of top-level attributes (an item, or a key): names non-empty, values checked. */
export function checkAttributes(raw: Item): Record<string, AttributeValue> {
  const out = newAttributeMap();
  for (const [name, value] of Object.entries(raw)) {
    if (name.length === 0) throw validation("Empty attribute name");
    out[name] = checkValue(value);
  }
  return out;
}

function keyValueError(value: AttributeValue, attribute: KeyAttribute): string | undefined {
  const actual = TYPES.find((type) => type in value);
  if (actual !== attribute.type)
    return `Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${actual}`;
  return undefined;
}

function checkKeySizes(item: Item, key: KeyDef): void {
  const partition = item[key.partitionKey.name];
  if (partition !== undefined && valueSize(partition) > LIMITS.dynamodb.partitionKeySize.max) {
    throw invalidParameter("Size of hashkey has exceeded the maximum size limit of2048 bytes");
  }
  const sort = key.sortKey === undefined ? undefined : item[key.sortKey.name];
  if (sort !== undefined && valueSize(sort) > LIMITS.dynamodb.sortKeySize.max) {
    throw invalidParameter("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
}

function checkNotEmptyKey(value: AttributeValue, name: string): void {
  if (("S" in value && value.S.length === 0) || ("B" in value && value.B.length === 0)) {
    const kind = "S" in value ? "string" : "binary";
    throw new DynamoDbValidationError(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`,
    );
  }
}

/**
 * An item to write (PutItem, a batch put, a transaction's Put): its attributes, the table's key
 * present and of its declared type and not empty, each index key of its declared type and not
 * empty, the key sizes and the 400 KB item size.
 */
export function checkItem(table: TableMeta, raw: Item): Record<string, AttributeValue> {
  const item = checkAttributes(raw);
  for (const attribute of [table.partitionKey, table.sortKey]) {
    if (attribute === undefined) continue;
    const value = item[attribute.name];
    if (value === undefined)
      throw validation(
        `One or more parameter values were invalid: Missing the key ${attribute.name} in the item`,
      );
    const mismatch = keyValueError(value, attribute);
    if (mismatch !== undefined) throw invalidParameter(mismatch);
    checkNotEmptyKey(value, attribute.name);
  }
  checkIndexKeys(table, item);
  checkKeySizes(item, table);
  checkItemSize(item);
  return item;
}

/** Index key attributes an item carries must have the index's declared type and not be empty. */
export function checkIndexKeys(table: TableMeta, item: Item): void {
  for (const index of table.indexes) {
    for (const attribute of [index.partitionKey, index.sortKey]) {
      if (attribute === undefined) continue;
      const value = item[attribute.name];
      if (value === undefined) continue;
      const actual = TYPES.find((type) => type in value);
      if (actual !== attribute.type) {
        throw invalidParameter(
          `Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${actual} IndexName: ${index.name}`,
        );
      }
      if (("S" in value && value.S.length === 0) || ("B" in value && value.B.length === 0)) {
        throw new DynamoDbValidationError(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${"S" in value ? "string" : "binary"} value. IndexName: ${index.name}, IndexKey: ${attribute.name}`,
        );
      }
    }
  }
}

export function checkItemSize(item: Item): void {
  if (itemSize(item) > LIMITS.dynamodb.itemSize.max) {
    throw validation("Item size has exceeded the maximum allowed size");
  }
}

/**
 * A Key parameter (GetItem, UpdateItem, DeleteItem, batches, transactions): exactly the table's
 * key attributes, of their declared types, else "The provided key element does not match the schema".
 */
export function checkKey(key: KeyDef, raw: Item): Record<string, AttributeValue> {
  const item = checkAttributes(raw);
  const names =
    key.sortKey === undefined ? [key.partitionKey.name] : [key.partitionKey.name, key.sortKey.name];
  const given = Object.keys(item);
  const mismatch =
    given.length !== names.length ||
    !names.every((name) => given.includes(name)) ||
    [key.partitionKey, key.sortKey].some(
      (attribute) =>
        attribute !== undefined &&
        keyValueError(item[attribute.name] as AttributeValue, attribute) !== undefined,
    );
  if (mismatch) throw validation("The provided key element does not match the schema");
  for (const name of names) checkNotEmptyKey(item[name] as AttributeValue, name);
  checkKeySizes(item, key);
  return item;
}
