import { LIMITS } from "../../../model/limits.ts";
import type { AttributeValue } from "./attribute-value.ts";
import { checkStorable, parseDecimal } from "./decimal.ts";
import { DynamoDbValidationError, type ExpressionKind, invalidExpression } from "./errors.ts";

/** A request's placeholders, as DynamoDB's APIs take them. */
export interface ExpressionAttributes {
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>> | undefined;
  readonly ExpressionAttributeValues?: Readonly<Record<string, AttributeValue>> | undefined;
}

const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;
/** The placeholders of a request that gives none (never written to). */
const NONE: ReadonlyMap<string, never> = new Map<string, never>();

/**
 * The placeholders of one request, shared by all its expressions: each expression resolves the
 * ones it uses, and `assertAllUsed` then refuses any left over, as DynamoDB does for the request
 * as a whole ("Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}").
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 */
export class Placeholders {
  private readonly names: ReadonlyMap<string, string>;
  private readonly values: ReadonlyMap<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(attributes: ExpressionAttributes = {}) {
    const names = attributes.ExpressionAttributeNames;
    const values = attributes.ExpressionAttributeValues;
    if (names !== undefined && Object.keys(names).length === 0) {
      throw new DynamoDbValidationError("ExpressionAttributeNames must not be empty");
    }
    if (values !== undefined && Object.keys(values).length === 0) {
      throw new DynamoDbValidationError("ExpressionAttributeValues must not be empty");
    }
    // Most requests (a GetItem, a plain PutItem) carry neither map: nothing to check or copy.
    this.names = names === undefined ? NONE : new Map(Object.entries(names));
    this.values = values === undefined ? NONE : new Map(Object.entries(values));
    const maxLength = LIMITS.dynamodbExpressions.placeholderLength.max;
    for (const key of this.names.keys()) {
      if (!NAME_KEY.test(key) || Buffer.byteLength(key) > maxLength) {
        throw new DynamoDbValidationError(
          `ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`,
        );
      }
    }
    for (const key of this.values.keys()) {
      if (!VALUE_KEY.test(key) || Buffer.byteLength(key) > maxLength) {
        throw new DynamoDbValidationError(
          `ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`,
        );
      }
    }
    for (const [key, value] of this.values) checkNumbers(key, value);
  }

  /** The attribute name `#alias` stands for; refuses one the request does not define. */
  name(kind: ExpressionKind, alias: string): string {
    const name = this.names.get(alias);
    if (name === undefined) {
      throw invalidExpression(
        kind,
        `An expression attribute name used in the document path is not defined; attribute name: ${alias}`,
      );
    }
    this.usedNames.add(alias);
    return name;
  }

  /** The value `:ref` stands for; refuses one the request does not define. */
  value(kind: ExpressionKind, ref: string): AttributeValue {
    const value = this.values.get(ref);
    if (value === undefined) {
      throw invalidExpression(
        kind,
        `An expression attribute value used in expression is not defined; attribute value: ${ref}`,
      );
    }
    this.usedValues.add(ref);
    return value;
  }

  /** The `:ref` whose value is this very object (not an equal one), if any. */
  refOf(value: AttributeValue): string | undefined {
    for (const [ref, candidate] of this.values) if (candidate === value) return ref;
    return undefined;
  }

  /** Refuses placeholders no expression of the request used (call after compiling them all). */
  assertAllUsed(): void {
    const names = [...this.names.keys()].filter((key) => !this.usedNames.has(key));
    if (names.length > 0) {
      throw new DynamoDbValidationError(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(", ")}}`,
      );
    }
    const values = [...this.values.keys()].filter((key) => !this.usedValues.has(key));
    if (values.length > 0) {
      throw new DynamoDbValidationError(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(", ")}}`,
      );
    }
  }
}

/**
 * Every number inside a value, however deep (N, NS members, inside maps and lists), for
 * DynamoDB's number checks, which come before the value's other checks. A value of the wrong
 * shape (`{"N": 5}`, `null`) has none here: the request's check of each value as an attribute
 * value refuses it next (placeholdersOf).
 */
function numbersIn(value: unknown): string[] {
  if (typeof value !== "object" || value === null) return [];
  const member = value as Record<string, unknown>;
  if (typeof member.N === "string") return [member.N];
  if (Array.isArray(member.NS))
    return member.NS.filter((entry): entry is string => typeof entry === "string");
  if (Array.isArray(member.L)) return member.L.flatMap(numbersIn);
  if (typeof member.M === "object" && member.M !== null) return Object.values(member.M).flatMap(numbersIn);
  return [];
}

/** A value placeholder refused, as AWS names it: "ExpressionAttributeValues contains invalid value: <reason> for key :v". */
export function invalidValue(key: string, reason: string): DynamoDbValidationError {
  return new DynamoDbValidationError(
    `ExpressionAttributeValues contains invalid value: ${reason} for key ${key}`,
  );
}

/** A value's numbers must be numbers DynamoDB can store. */
function checkNumbers(key: string, value: AttributeValue): void {
  for (const text of numbersIn(value)) {
    const number = parseDecimal(text);
    const invalid = (reason: string) => invalidValue(key, reason);
    if (number === undefined) throw invalid(`The parameter cannot be converted to a numeric value: ${text}`);
    try {
      checkStorable(number);
    } catch (error) {
      if (error instanceof DynamoDbValidationError) throw invalid(error.message);
      throw error;
    }
  }
}
