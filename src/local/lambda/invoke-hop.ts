/**
 * The trace hop of one invocation (issue 20): what ran (`function:<name>`), under which header,
 * caused by what (the header the invoke carried), with its outcome — success; error for a function
 * error or a refused invoke; timeout; throttled for Lambda's 429. An invocation an SQS batch runs
 * for messages of several traces is recorded in each of them, as the same hop.
 */
import { AwsError } from "../../model/errors.ts";
import type { Mutable } from "../../model/mutable.ts";
import { type HopInput, type HopOutcome, parentOf, type Tracer, traceRootOf } from "../traces/index.ts";
import type { InvokeInput, InvokeResult } from "./types.ts";

/** Lambda's error type for an invocation that ran past its timeout (verdict.ts answers with it). */
const TIMED_OUT = "Sandbox.Timedout";

export interface InvokeHop {
  readonly tracer: Tracer;
  readonly functionName: string;
  readonly input: InvokeInput;
  /** The header the invocation ran (or would have run) under. */
  readonly header: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Records a finished invocation: its outcome and, for a failure, Lambda's `errorType: errorMessage`. */
export function recordInvocation(hop: InvokeHop, result: InvokeResult): void {
  let outcome: HopOutcome = "success";
  let detail: string | undefined;
  if (result.functionError !== undefined) {
    const error = errorOf(result.payload);
    outcome = error.type === TIMED_OUT ? "timeout" : "error";
    detail = error.message === undefined ? error.type : `${error.type}: ${error.message}`;
  }
  record(hop, outcome, detail, result.requestId);
}

/** Records an invoke Lambda refused: throttled for its 429, an error for any other refusal. */
export function recordRefusal(hop: InvokeHop, error: unknown): void {
  const throttled = error instanceof AwsError && error.statusCode === 429;
  const detail =
    error instanceof AwsError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  record(hop, throttled ? "throttled" : "error", detail, hop.input.requestId);
}

function record(
  hop: InvokeHop,
  outcome: HopOutcome,
  detail: string | undefined,
  requestId: string | undefined,
): void {
  const { input, header } = hop;
  // One literal, optional keys assigned after: spreads of `{}` into it sent V8 down its slow path
  // (a dictionary object) for every invocation.
  const recorded: Mutable<HopInput> = {
    header,
    kind: "invoke",
    source: input.source ?? "client",
    target: `function:${hop.functionName}`,
    startMs: hop.startMs,
    durationMs: hop.endMs - hop.startMs,
    outcome,
    attempt: input.attempt ?? 1,
    payload: input.payload,
  };
  if (input.traceHeader !== undefined) recorded.parentHeader = input.traceHeader;
  if (detail !== undefined) recorded.detail = detail;
  if (requestId !== undefined) recorded.requestId = requestId;
  hop.tracer.record(recorded);
  if (input.linkedHeaders === undefined) return;
  // The same segment in each other trace the batch belongs to: its Root, this hop's Parent.
  const segment = parentOf(header);
  const seen = new Set([traceRootOf(header)]);
  for (const linked of input.linkedHeaders) {
    const root = traceRootOf(linked);
    if (root === undefined || seen.has(root) || segment === undefined) continue;
    seen.add(root);
    hop.tracer.record({ ...recorded, header: `Root=${root};Parent=${segment}`, parentHeader: linked });
  }
}

/** The errorType and errorMessage of Lambda's error payload (a function error's JSON). */
function errorOf(payload: string): { type: string; message?: string } {
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown } | null;
    const type = typeof parsed?.errorType === "string" ? parsed.errorType : "Error";
    return typeof parsed?.errorMessage === "string" ? { type, message: parsed.errorMessage } : { type };
  } catch {
    return { type: "Error" };
  }
}
