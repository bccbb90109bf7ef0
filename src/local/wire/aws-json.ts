/** The AWS JSON protocol (`application/x-amz-json-1.0` and `-1.1`): the request body and the answer. */
import type { ServerResponse } from "node:http";
import { AwsError } from "../../model/errors.ts";

/**
 * The request's JSON object; an empty body is `{}`, anything else is a SerializationException.
 * Every object in it has a null prototype, so a member named `__proto__` or `constructor` is
 * data: copying it into another map, or looking a wire name up in it, never reaches
 * Object.prototype.
 */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return Object.create(null) as Record<string, unknown>;
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AwsError("SerializationException", "The request body is not a JSON object.", 400);
  }
  return withNullPrototypes(value) as Record<string, unknown>;
}

/**
 * Each object of a parsed JSON value given a null prototype, in place (the request's, and stored
 * JSON read back, such as DynamoDB's items). JSON.parse already makes a
 * `"__proto__"` member an own key (it defines, never assigns), so only the prototypes change.
 * Object.setPrototypeOf keeps V8's fast properties, where a copy into Object.create(null) made
 * every request object a dictionary, slower to build and to read in every service after it
 * (~1.2 µs more per PutItem body in a loop, before any service code). A walk after parsing rather
 * than a reviver: a reviver is called for every value, primitives included, and took half the
 * parse time of a SendMessage body (issue 14).
 */
export function withNullPrototypes(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) withNullPrototypes(value[i]);
    return value;
  }
  Object.setPrototypeOf(value, null);
  for (const key of Object.keys(value)) withNullPrototypes((value as Record<string, unknown>)[key]);
  return value;
}

/** Writes an AWS JSON answer (`text` is the JSON already) with its request id. */
export function sendAwsJson(
  res: ServerResponse,
  version: "1.0" | "1.1",
  status: number,
  requestId: string,
  text: string,
): void {
  res.writeHead(status, {
    "content-type": `application/x-amz-json-${version}`,
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The SerializationException (400) AWS's JSON protocols answer when a member has the wrong JSON
 * type, in the words their deserializer uses ("NUMBER_VALUE can not be converted to a String").
 */
export function serializationError(value: unknown, expected: string): AwsError {
  const message = Array.isArray(value)
    ? "Start of list found where not expected"
    : typeof value === "object" && value !== null
      ? "Start of structure or map found where not expected."
      : `${typeof value === "number" ? "NUMBER_VALUE" : typeof value === "boolean" ? "BOOLEAN_VALUE" : "STRING_VALUE"} can not be converted to ${expected}`;
  return new AwsError("SerializationException", message, 400);
}

/** A string member, absent as undefined; any other JSON type is a SerializationException. */
export function jsonString(input: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw serializationError(value, "a String");
  return value;
}

/** A number member, absent as undefined; any other JSON type is a SerializationException. */
export function jsonNumber(input: Record<string, unknown>, name: string): number | undefined {
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw serializationError(value, "an Integer");
  return value;
}

/** A list-of-strings member, absent as undefined. */
export function jsonStringList(input: Record<string, unknown>, name: string): string[] | undefined {
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(value, "a List");
  for (const item of value) if (typeof item !== "string") throw serializationError(item, "a String");
  return value as string[];
}

/** A list-of-structures member, absent as undefined. */
export function jsonObjectList(
  input: Record<string, unknown>,
  name: string,
): Record<string, unknown>[] | undefined {
  const value = Object.hasOwn(input, name) ? input[name] : undefined;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw serializationError(value, "a List");
  for (const item of value) {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw serializationError(item, "a Structure");
  }
  return value as Record<string, unknown>[];
}
