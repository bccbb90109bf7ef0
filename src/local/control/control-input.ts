/**
 * The control API's request bodies, checked field by field: a missing or wrongly typed field is
 * the caller's mistake (400 InvalidParameterValue naming every bad field), never a crash deep in
 * a surface. Values are copied out one by one, so no other key of the wire object travels on.
 */
import { AwsError } from "../../model/errors.ts";
import { DRILL_KINDS, type DrillKind, type DrillRequest, type HealRequest } from "../drill-operations.ts";
import { EXECUTION_STATUSES, type ExecutionsRequest } from "../execution-operations.ts";
import type { InvokeFunctionRequest, SendRequest } from "../operations.ts";
import type { ExecutionStatus } from "../stepfunctions/index.ts";

type Json = Record<string, unknown>;

export function invokeInput(body: unknown): InvokeFunctionRequest {
  const check = new Checker(body);
  const request: InvokeFunctionRequest = {
    function: check.string("function", true) as string,
    payload: check.string("payload", true) as string,
    ...optional("async", check.boolean("async")),
    ...optional("tailLog", check.boolean("tailLog")),
    ...optional("region", check.string("region")),
  };
  return check.done(request);
}

export function sendInput(body: unknown): SendRequest {
  const check = new Checker(body);
  const request: SendRequest = {
    queue: check.string("queue", true) as string,
    body: check.string("body", true) as string,
    ...optional("messageGroupId", check.string("messageGroupId")),
    ...optional("messageDeduplicationId", check.string("messageDeduplicationId")),
    ...optional("delaySeconds", check.integer("delaySeconds")),
    ...optional("messageAttributes", check.stringMap("messageAttributes")),
    ...optional("region", check.string("region")),
  };
  return check.done(request);
}

export function redriveInput(body: unknown): { queue: string; to?: string } {
  const check = new Checker(body);
  return check.done({ queue: check.string("queue", true) as string, ...optional("to", check.string("to")) });
}

export function advanceInput(body: unknown): number {
  const check = new Checker(body);
  const ms = check.number("ms");
  return check.done(ms as number);
}

/** `sluice fail`: the drill's kind, and the region and function it needs. */
export function drillInput(body: unknown): DrillRequest {
  const check = new Checker(body);
  const request = {
    kind: check.drillKind("kind", true) as DrillKind,
    ...optional("region", check.string("region")),
    ...optional("function", check.string("function")),
  };
  return check.done(request);
}

/** `sluice heal`: which drills to end; an empty object ends them all. */
export function healInput(body: unknown): HealRequest {
  const check = new Checker(body);
  const request = {
    ...optional("kind", check.drillKind("kind")),
    ...optional("region", check.string("region")),
    ...optional("function", check.string("function")),
  };
  return check.done(request);
}

export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export class Checker {
  private readonly problems: string[] = [];
  private readonly body: Json;

  constructor(body: unknown) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      this.problems.push("the request body must be a JSON object");
      this.body = Object.create(null) as Json;
    } else this.body = body as Json;
  }

  private value(key: string): unknown {
    return Object.hasOwn(this.body, key) ? this.body[key] : undefined;
  }

  string(key: string, required = false): string | undefined {
    const value = this.value(key);
    if (value === undefined && !required) return undefined;
    if (typeof value !== "string") this.problems.push(`${key} must be a string; got ${describe(value)}`);
    return typeof value === "string" ? value : undefined;
  }

  /** A string of 1 to `max` characters matching `pattern` (what it must look like, for the message). */
  bounded(
    key: string,
    required: boolean,
    max: number,
    pattern?: { readonly test: RegExp; readonly looksLike: string },
  ): string | undefined {
    const value = this.string(key, required);
    if (value === undefined) return undefined;
    if (value.length === 0 || value.length > max)
      this.problems.push(`${key} must be 1 to ${max} characters; got ${value.length}`);
    else if (pattern && !pattern.test.test(value))
      this.problems.push(`${key} must be ${pattern.looksLike}; got ${JSON.stringify(value.slice(0, 40))}`);
    else return value;
    return undefined;
  }

  drillKind(key: string, required = false): DrillKind | undefined {
    const value = this.string(key, required);
    if (value === undefined) return undefined;
    if (!(DRILL_KINDS as readonly string[]).includes(value)) {
      this.problems.push(`${key} must be one of ${DRILL_KINDS.join(", ")}; got "${value.slice(0, 30)}"`);
      return undefined;
    }
    return value as DrillKind;
  }

  boolean(key: string): boolean | undefined {
    const value = this.value(key);
    if (value !== undefined && typeof value !== "boolean")
      this.problems.push(`${key} must be true or false; got ${describe(value)}`);
    return typeof value === "boolean" ? value : undefined;
  }

  /** Any JSON number (1e999 parses as Infinity): its range is the operation's rule to state. */
  number(key: string): number | undefined {
    const value = this.value(key);
    if (typeof value !== "number") this.problems.push(`${key} must be a number; got ${describe(value)}`);
    return typeof value === "number" ? value : undefined;
  }

  integer(key: string): number | undefined {
    const value = this.value(key);
    if (value !== undefined && !Number.isSafeInteger(value))
      this.problems.push(`${key} must be a whole number; got ${describe(value)}`);
    return Number.isSafeInteger(value) ? (value as number) : undefined;
  }

  stringMap(key: string): Record<string, string> | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    const entries =
      typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
    if (entries.length === 0 && (typeof value !== "object" || value === null || Array.isArray(value))) {
      this.problems.push(`${key} must be an object of string values; got ${describe(value)}`);
      return undefined;
    }
    const map = Object.create(null) as Record<string, string>;
    for (const [name, v] of entries) {
      if (typeof v !== "string")
        this.problems.push(`${key}.${name.slice(0, 50)} must be a string; got ${describe(v)}`);
      else map[name] = v;
    }
    return map;
  }

  done<T>(value: T): T {
    if (this.problems.length > 0)
      throw new AwsError("InvalidParameterValue", `${this.problems.join("; ")}.`, 400);
    return value;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return typeof value === "string" ? "a string" : `${typeof value} ${String(value).slice(0, 30)}`;
}

/** `sluice executions`: `machine` and `status` query parameters, the status one of Step Functions'. */
export function executionsInput(query: URLSearchParams): ExecutionsRequest {
  const machine = query.get("machine");
  const status = query.get("status");
  if (status !== null && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
    throw new AwsError(
      "InvalidParameterValue",
      `status takes ${EXECUTION_STATUSES.join(", ")}; got ${JSON.stringify(status.slice(0, 40))}`,
      400,
    );
  }
  return {
    ...(machine === null ? {} : { machine }),
    ...(status === null ? {} : { status: status as ExecutionStatus }),
  };
}

/** `sluice execution`: the `arn` query parameter (an execution ARN or name). */
export function executionInput(query: URLSearchParams): string {
  const arn = query.get("arn");
  if (arn === null || arn === "")
    throw new AwsError("InvalidParameterValue", "arn (an execution's ARN or name) is required", 400);
  return arn;
}
