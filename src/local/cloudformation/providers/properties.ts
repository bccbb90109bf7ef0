/**
 * Reading a resource's resolved properties the way AWS's handlers do: numbers may arrive as
 * strings (CloudFormation passes parameters and Fn::Sub results as text), and a bad value fails
 * the resource with the service's own wording.
 */
import { randomInt } from "node:crypto";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";

export type Properties = Readonly<Record<string, unknown>>;

export const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The service's validation failure for one field: `Value 'v' at 'field' failed to satisfy constraint: rule`. */
export function constraintFailure(value: unknown, field: string, rule: string): never {
  throw new ResourceFailure(
    `1 validation error detected: Value ${quotedValue(value)} at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

/** How AWS's validation messages show a value: quoted, except a missing one, which is `null`. */
export function quotedValue(value: unknown): string {
  return value === null || value === undefined ? "null" : `'${String(value)}'`;
}

export function randomChars(length: number, alphabet: string): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** A number property, or undefined when absent; `fail` gets the property name for a non-number. */
export function numberProp(
  properties: Properties,
  key: string,
  fail: (key: string) => never,
): number | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  const n =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(n)) fail(key);
  return n;
}

export function stringProp(properties: Properties, key: string): string | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new ResourceFailure(`Property ${key} must be a string, got ${JSON.stringify(value)}.`);
}

/** CloudFormation's schema failure for a property the type requires. */
export function requiredKey(context: Pick<ResourceContext, "logicalId">, key: string): never {
  throw new ResourceFailure(
    `Properties validation failed for resource ${context.logicalId} with message: #: required key [${key}] not found`,
  );
}

export function requiredString(
  properties: Properties,
  key: string,
  context: Pick<ResourceContext, "logicalId">,
): string {
  const value = stringProp(properties, key);
  if (value === undefined || value === "") requiredKey(context, key);
  return value;
}

export function booleanProp(properties: Properties, key: string): boolean | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new ResourceFailure(`Property ${key} must be a boolean, got ${JSON.stringify(value)}.`);
}

export function objectProp(properties: Properties, key: string): Properties | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Properties;
  throw new ResourceFailure(`Property ${key} must be an object, got ${JSON.stringify(value)}.`);
}

/** A JSON property that may also arrive as JSON text (RedrivePolicy, EventPattern, policy documents). */
export function jsonProp(properties: Properties, key: string): Properties | undefined {
  const value = properties[key];
  if (typeof value !== "string") return objectProp(properties, key);
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Properties;
  } catch {
    // Reported below.
  }
  throw new ResourceFailure(`Property ${key} must be a JSON object, got ${JSON.stringify(value)}.`);
}

/**
 * A physical name as CloudFormation generates one for a resource whose name property is absent:
 * `<stack>-<logicalId>-<RANDOM>`, the first two parts shortened to fit the type's length limit.
 */
export function generatedName(
  context: ResourceContext,
  options: {
    maxLength: number;
    suffix?: string;
    lowerCase?: boolean;
    random: (n: number, a: string) => string;
  },
): string {
  const suffix = options.suffix ?? "";
  const random = options.random(12, options.lowerCase ? LOWER_ALNUM : UPPER_ALNUM);
  const room = options.maxLength - random.length - suffix.length - 2;
  let stack = context.stackName;
  let logical = context.logicalId;
  while (stack.length + logical.length > room) {
    if (stack.length >= logical.length) stack = stack.slice(0, -1);
    else logical = logical.slice(0, -1);
  }
  const name = `${stack}-${logical}-${random}${suffix}`;
  return options.lowerCase ? name.toLowerCase() : name;
}

/** The last part of an ARN after `marker` (`:function:`, `:event-bus/`), or the text itself. */
export function arnTail(arnOrName: string, marker: string): string {
  const at = arnOrName.indexOf(marker);
  return arnOrName.startsWith("arn:") && at >= 0 ? arnOrName.slice(at + marker.length) : arnOrName;
}

/** `name`, `name:qualifier`, or a function or alias ARN → the function's name and qualifier. */
export function functionNameOf(value: string): { name: string; qualifier?: string } {
  const tail = arnTail(value, ":function:");
  const [name = "", qualifier] = tail.split(":");
  return qualifier === undefined ? { name } : { name, qualifier };
}

export function arnPrefix(context: ResourceContext, service: string, region = context.region): string {
  return `arn:${context.partition}:${service}:${region}:${context.accountId}`;
}
