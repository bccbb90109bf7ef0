/**
 * Step Functions' request members as its JSON 1.0 front end checks them before the service runs:
 * each wrong JSON type is a SerializationException (the shared codecs), each missing required
 * member, length or range outside the API's constraints is one line of a ValidationException,
 * collected and reported together in AWS's words ("1 validation error detected: Value null at
 * 'stateMachineArn' failed to satisfy constraint: Member must not be null").
 * The constraints are LIMITS.stepFunctionsApi (each operation's API reference page).
 */

import { parseArn } from "../../../model/iam/match.ts";
import { LIMITS } from "../../../model/limits.ts";
import { jsonNumber, jsonString, serializationError } from "../../wire/index.ts";
import { SfnApiError } from "../service-api.ts";

type Json = Record<string, unknown>;
const API = LIMITS.stepFunctionsApi;

/**
 * Members whose shapes AWS marks sensitive (SensitiveData, SensitiveError, SensitiveCause): a
 * ValidationException names them without quoting their value ("Value at 'cause' failed to
 * satisfy constraint: ..."), as it answers for a too-long cause.
 */
const SENSITIVE: ReadonlySet<string> = new Set(["input", "output", "error", "cause"]);

/** Reads one request's members, collecting every constraint it breaks. */
export class Members {
  private readonly problems: string[] = [];

  constructor(private readonly input: Json) {}

  /** A string member that must be present. */
  required(name: string, limit?: { readonly min?: number; readonly max?: number }): string {
    const value = jsonString(this.input, name);
    if (value === undefined) {
      this.problems.push(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
      return "";
    }
    this.length(name, value, limit);
    return value;
  }

  /** A string member that may be absent. */
  optional(name: string, limit?: { readonly min?: number; readonly max?: number }): string | undefined {
    const value = jsonString(this.input, name);
    if (value !== undefined) this.length(name, value, limit);
    return value;
  }

  /** One of `values`, or absent. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = jsonString(this.input, name);
    if (value === undefined || (values as readonly string[]).includes(value)) return value as T | undefined;
    this.problems.push(
      `Value '${clip(value)}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(", ")}]`,
    );
    return undefined;
  }

  /**
   * A JSON text member (an execution's input, a task's output) whose limit is its UTF-8 size:
   * over it, the member's constraint fails before the text is read, in AWS's words ("Member must
   * have size less than or equal to 262144 bytes in UTF-8 encoding").
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
   */
  payload(name: string, maxBytes: number, required: boolean): string | undefined {
    const value = required ? this.required(name) : this.optional(name);
    if (value !== undefined && Buffer.byteLength(value, "utf8") > maxBytes)
      this.problems.push(
        `Value at '${name}' failed to satisfy constraint: Member must have size less than or equal to ${maxBytes} bytes in UTF-8 encoding`,
      );
    return value;
  }

  /** A whole number in [min, max], or absent. */
  integer(name: string, limit: { readonly min?: number; readonly max?: number }): number | undefined {
    const value = jsonNumber(this.input, name);
    if (value === undefined) return undefined;
    if (limit.min !== undefined && value < limit.min)
      this.problems.push(
        `Value '${value}' at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${limit.min}`,
      );
    else if (limit.max !== undefined && value > limit.max)
      this.problems.push(
        `Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${limit.max}`,
      );
    return Math.trunc(value);
  }

  /** A boolean member, absent as undefined. */
  flag(name: string): boolean | undefined {
    const value = Object.hasOwn(this.input, name) ? this.input[name] : undefined;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw serializationError(value, "a Boolean");
    return value;
  }

  /** Throws the ValidationException that lists every problem found, if any. */
  check(): void {
    const count = this.problems.length;
    if (count === 0) return;
    throw new SfnApiError(
      "ValidationException",
      `${count} validation error${count === 1 ? "" : "s"} detected: ${this.problems.join("; ")}`,
    );
  }

  private length(
    name: string,
    value: string,
    limit?: { readonly min?: number; readonly max?: number },
  ): void {
    if (!limit) return;
    const quoted = SENSITIVE.has(name) ? "Value" : `Value '${clip(value)}'`;
    if (limit.min !== undefined && value.length < limit.min)
      this.problems.push(
        `${quoted} at '${name}' failed to satisfy constraint: Member must have length greater than or equal to ${limit.min}`,
      );
    else if (limit.max !== undefined && value.length > limit.max)
      this.problems.push(
        `${quoted} at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${limit.max}`,
      );
  }
}

/** A long value as a message quotes it. */
function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}...` : value;
}

/**
 * A state machine or execution ARN, checked for its form as Step Functions does before looking it
 * up: anything but `arn:<partition>:states:<region>:<account>:<kind>:...` of an allowed kind is
 * InvalidArn (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html).
 */
export function requireArn(
  value: string,
  kinds: readonly ("stateMachine" | "execution" | "express")[],
): string {
  // AWS names what is wrong with a value that is no ARN at all: "Invalid ARN prefix: <value>".
  if (!value.startsWith("arn:"))
    throw new SfnApiError("InvalidArn", `Invalid Arn: 'Invalid ARN prefix: ${clip(value)}'`);
  const arn = parseArn(value);
  if (arn?.service !== "states" || arn.region === "" || arn.account === "")
    throw new SfnApiError("InvalidArn", `Invalid Arn: '${clip(value)}'`);
  const kind = arn.resource.split(":")[0] ?? "";
  if (!(kinds as readonly string[]).includes(kind))
    throw new SfnApiError(
      "InvalidArn",
      `Invalid Arn: 'Resource type not valid in this context: ${clip(kind)}'`,
    );
  return value;
}

/**
 * An execution's input (or a task's output) as JSON text (its size is checked with the other
 * members, Members.payload); else `code` (InvalidExecutionInput, InvalidOutput) in AWS's form.
 */
export function requireJsonText(text: string, code: "InvalidExecutionInput" | "InvalidOutput"): string {
  const what = code === "InvalidExecutionInput" ? "Invalid State Machine Execution Input" : "Invalid Output";
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SfnApiError(code, `${what}: '${clip((error as Error).message)}'`);
  }
  return text;
}

/**
 * StartExecution's size rule for an input that reaches the engine without the wire (a function's
 * route): the ValidationException the wire answers for it.
 */
export function checkExecutionInputSize(input: string): void {
  const m = new Members({ input });
  m.payload("input", API.executionInput.max, false);
  m.check();
}

export { API as SFN_API_LIMITS };
