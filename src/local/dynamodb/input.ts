/**
 * Reading a request's members with the checks DynamoDB's request validation makes first (type,
 * presence, length), worded as AWS words them. Wire input is already a null-prototype map
 * (local/wire's parseJsonObject).
 */
import { LIMITS } from "../../model/limits.ts";
import { serializationError } from "../wire/index.ts";
import { constraint } from "./errors.ts";
import type { AttributeValue, Item } from "./expressions/index.ts";

export type Input = Readonly<Record<string, unknown>>;

/** camelCase member path AWS names in validation messages: TableName → tableName. */
function memberName(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** AWS's deserializer refuses a member of the wrong JSON type before DynamoDB sees it. */
function serialization(input: Input, name: string, expected: string) {
  return serializationError(input[name], expected);
}

export function optString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serialization(input, name, "String");
  return value;
}

export function reqString(input: Input, name: string): string {
  const value = optString(input, name);
  if (value === undefined) throw constraint(memberName(name), undefined, "Member must not be null");
  return value;
}

export function optBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw serialization(input, name, "Boolean");
  return value;
}

export function optInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw serialization(input, name, "Integer");
  return value;
}

export function optObject(input: Input, name: string): Input | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw serialization(input, name, "a structure");
  return value as Input;
}

export function optList(input: Input, name: string): readonly unknown[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serialization(input, name, "a list");
  return value;
}

export function asObject(value: unknown, _shape: string): Input {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw serializationError(value, "a structure");
  return value as Input;
}

/** One of `allowed`, else AWS's enum constraint message. */
export function optEnum<T extends string>(input: Input, name: string, allowed: readonly T[]): T | undefined {
  const value = optString(input, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw constraint(memberName(name), value, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

const NAME = LIMITS.dynamodb.tableName;

/** A table or index name's length and characters, checked as AWS's request validation does. */
export function checkName(member: string, value: string): string {
  if (value.length < NAME.min) {
    throw constraint(member, value, `Member must have length greater than or equal to ${NAME.min}`);
  }
  if (value.length > NAME.max) {
    throw constraint(member, value, `Member must have length less than or equal to ${NAME.max}`);
  }
  if (!NAME.pattern.test(value)) {
    throw constraint(member, value, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  return value;
}

/**
 * TableName: a table's name, or (as DynamoDB accepts since resource-based policies) its ARN,
 * `arn:<partition>:dynamodb:<region>:<account>:table/<name>`.
 */
export function tableNameOf(input: Input, name = "TableName"): string {
  const value = reqString(input, name);
  const arnMatch = value.startsWith("arn:")
    ? /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(value)
    : null;
  return checkName(memberName(name), arnMatch?.[1] ?? value);
}

/** A map of attribute values (an item or a key) as the wire carries it. */
export function optItem(input: Input, name: string): Item | undefined {
  const value = optObject(input, name);
  return value as Item | undefined;
}

export function reqItem(input: Input, name: string): Item {
  const value = optItem(input, name);
  if (value === undefined) throw constraint(memberName(name), undefined, "Member must not be null");
  return value;
}

export function optValues(input: Input, name: string): Readonly<Record<string, AttributeValue>> | undefined {
  return optObject(input, name) as Readonly<Record<string, AttributeValue>> | undefined;
}

export function optNames(input: Input, name: string): Readonly<Record<string, string>> | undefined {
  const value = optObject(input, name);
  if (value === undefined) return undefined;
  for (const entry of Object.values(value))
    if (typeof entry !== "string") throw serializationError(entry, "String");
  return value as Readonly<Record<string, string>>;
}
