/**
 * Key attributes of tables and indexes: their names (1–255 bytes), types (S, N, B), and the rule
 * that one attribute has one type across a table and its indexes (CreateTable's
 * AttributeDefinitions).
 */
import type { KeyAttributeSpec } from "../app-spec.ts";
import { LIMITS } from "../limits.ts";
import { checkKeys, type Issues, join, quoteList, readObject, readString } from "./values.ts";

const TABLES = LIMITS.dynamodbTables;
const KEY_KEYS = ["name", "type"] as const;
const KEY_TYPES: readonly string[] = TABLES.keyTypes.values;
export const EXAMPLE_KEY = `{ name: "pk", type: "S" }`;

/** Collects each key attribute's type, so one attribute never gets two (AttributeDefinitions). */
export class KeyTypes {
  private readonly seen = new Map<string, { type: string; path: string }>();
  constructor(private readonly issues: Issues) {}

  check(path: string, key: KeyAttributeSpec): boolean {
    const first = this.seen.get(key.name);
    if (first === undefined) {
      this.seen.set(key.name, { type: key.type, path });
      return true;
    }
    if (first.type === key.type) return true;
    this.issues.add(
      join(path, "type"),
      key.type,
      `attribute "${key.name}" is a key of type ${first.type} at ${first.path} and of type ${key.type} here; ` +
        "DynamoDB gives each key attribute one type for the table and all its indexes",
      `type: "${first.type}", as at ${first.path}`,
      `write type: "${first.type}", or use another attribute name for this key`,
    );
    return false;
  }
}

export interface TableKeys {
  readonly partitionKey: KeyAttributeSpec | undefined;
  readonly sortKey: KeyAttributeSpec | undefined;
  /** Whether the table declares a sort key at all (valid or not), so a local index's check is exact. */
  readonly sortKeyGiven: boolean;
}

export function readRequiredKey(
  issues: Issues,
  path: string,
  value: unknown,
  what: string,
): KeyAttributeSpec | undefined {
  if (value !== undefined) return readKey(issues, path, value);
  issues.add(
    path,
    undefined,
    `the ${what} is required: it is the attribute DynamoDB places every item by`,
    `{ name, type: ${quoteList(KEY_TYPES)} }`,
    `add ${what}: ${EXAMPLE_KEY}`,
  );
  return undefined;
}

export function readKey(issues: Issues, path: string, value: unknown): KeyAttributeSpec | undefined {
  const fields = readObject(issues, path, value, EXAMPLE_KEY);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, KEY_KEYS);
  const name =
    fields.name === undefined
      ? missing(issues, join(path, "name"), "a key needs the attribute's name", `name: "pk"`)
      : readAttributeName(issues, join(path, "name"), fields.name);
  const type =
    fields.type === undefined
      ? missing(issues, join(path, "type"), "a key needs the attribute's type", `type: "S"`)
      : readKeyType(issues, join(path, "type"), fields.type);
  return name === undefined || type === undefined ? undefined : { name, type };
}

function missing(issues: Issues, path: string, message: string, fix: string): undefined {
  issues.add(
    path,
    undefined,
    message,
    path.endsWith("type") ? quoteList(KEY_TYPES) : "a string",
    `add ${fix}`,
  );
  return undefined;
}

function readKeyType(issues: Issues, path: string, value: unknown): KeyAttributeSpec["type"] | undefined {
  if (typeof value === "string" && KEY_TYPES.includes(value)) return value as KeyAttributeSpec["type"];
  const upper = typeof value === "string" ? value.toUpperCase() : "";
  issues.add(
    path,
    value,
    "a key attribute is a string (S), a number (N) or binary (B)",
    `one of ${quoteList(KEY_TYPES)}`,
    KEY_TYPES.includes(upper) ? `write type: "${upper}"` : `write type: "S"`,
  );
  return undefined;
}

/** An attribute's name: 1–255 bytes of UTF-8. */
export function readAttributeName(issues: Issues, path: string, value: unknown): string | undefined {
  const name = readString(issues, path, value, `"pk"`);
  if (name === undefined) return undefined;
  const row = LIMITS.dynamodb.keyAttributeNameLength;
  const min = LIMITS.dynamodb.attributeNameLength.min;
  const bytes = new TextEncoder().encode(name).length;
  if (bytes >= min && bytes <= row.max) return name;
  issues.add(
    path,
    name,
    bytes === 0
      ? "an attribute name cannot be empty"
      : `the attribute name is ${bytes} bytes, above DynamoDB's ${row.max}`,
    `${min} to ${row.max} bytes of UTF-8`,
    bytes === 0 ? "name the attribute" : "shorten the name",
  );
  return undefined;
}

/** Whether the sort key is another attribute than the partition key; records the issue when not. */
export function checkDistinctKeys(
  issues: Issues,
  path: string,
  partitionKey: KeyAttributeSpec | undefined,
  sortKey: KeyAttributeSpec,
): boolean {
  if (partitionKey === undefined || partitionKey.name !== sortKey.name) return true;
  issues.add(
    join(path, "name"),
    sortKey.name,
    `"${sortKey.name}" is both the partition key and the sort key; DynamoDB needs two different attributes`,
    `a sort key attribute other than "${partitionKey.name}"`,
    "name another attribute, or leave the sort key out",
  );
  return false;
}
