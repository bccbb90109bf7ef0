/**
 * Reading SQS request members in their JSON-protocol shape (the query protocol is converted to
 * it first), with SQS's errors for missing or mistyped parameters.
 */

import { dataMap } from "../../wire/index.ts";
import { missingParameter, SqsError } from "../errors.ts";
import type { MessageAttributes, MessageAttributeValue } from "../types.ts";

export type Json = Record<string, unknown>;

export function requiredString(input: Json, name: string): string {
  const value = input[name];
  if (value === undefined || value === null || value === "") throw missingParameter(name);
  if (typeof value !== "string") throw wrongType(name, value, "a string");
  return value;
}

export function optionalString(input: Json, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(name, value, "a string");
  return value;
}

export function optionalInteger(input: Json, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n)) throw wrongType(name, value, "an integer");
  return n;
}

export function stringList(input: Json, name: string): string[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw wrongType(name, value, "a list of strings");
  }
  return value;
}

export function stringMap(input: Json, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(name, value, "a map of strings");
  const out = dataMap<string>();
  for (const [key, v] of Object.entries(value as Json)) {
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      throw wrongType(`${name}.${key}`, v, "a string");
    }
    out[key] = String(v);
  }
  return out;
}

export function entryList(input: Json, name: string): Json[] {
  const value = input[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "object" && v !== null)) {
    throw wrongType(name, value, "a list of entries");
  }
  return value as Json[];
}

/** `{ name: { DataType, StringValue | BinaryValue (base64) } }` → the engine's attributes. */
export function messageAttributes(input: Json, name: string): MessageAttributes | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw wrongType(name, value, "a map of attributes");
  const out = dataMap<MessageAttributeValue>();
  for (const [key, raw] of Object.entries(value as Json)) {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw wrongType(
        `${name}.${key}`,
        raw,
        "a message attribute value (DataType and StringValue or BinaryValue)",
      );
    }
    const attribute = raw as Json;
    const dataType = typeof attribute.DataType === "string" ? attribute.DataType : "";
    const binary = attribute.BinaryValue;
    out[key] =
      typeof binary === "string"
        ? { dataType, binaryValue: new Uint8Array(Buffer.from(binary, "base64")) }
        : {
            dataType,
            ...(typeof attribute.StringValue === "string" ? { stringValue: attribute.StringValue } : {}),
          };
  }
  return out;
}

/** The engine's attributes in the JSON protocol's shape (binary as base64). */
export function attributesToJson(attributes: MessageAttributes): Json {
  const out = dataMap<unknown>();
  for (const [name, a] of Object.entries(attributes)) {
    out[name] =
      a.binaryValue === undefined
        ? { StringValue: a.stringValue ?? "", DataType: a.dataType }
        : { BinaryValue: Buffer.from(a.binaryValue).toString("base64"), DataType: a.dataType };
  }
  return out;
}

function wrongType(name: string, value: unknown, expected: string): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: must be ${expected}.`,
    { parameter: name },
  );
}
