/**
 * Traces across hops (issue 20): what each hop of a request, message, event or invocation records,
 * and what the CLI, the console and the test kit ask of the trace store.
 *
 * A trace is what X-Ray would link on AWS: one X-Ray trace id (the `Root` of the
 * `X-Amzn-Trace-Id` header, `1-<8 hex>-<24 hex>`), carried from hop to hop as AWS carries it
 * (`X-Amzn-Trace-Id` on API requests, the `AWSTraceHeader` system attribute on SQS messages,
 * `_X_AMZN_TRACE_ID` in functions, `TraceHeader` on EventBridge events). Each hop is one segment:
 * its id is the `Parent` of the header it passes on, its parent the `Parent` of the header it got.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 */

/**
 * A resource of the app in the definition's words, `<kind>:<name>`: `function:publish`,
 * `queue:pages`, `bus:default`, `rule:orders.audit` (bus.rule), `schedule:nightly`,
 * `api:GET /pages` (an HTTP API route key), `websocket:$connect`, `bucket:uploads`, `table:games`,
 * `machine:checkout`; `client` for a caller outside the app (a script, the CLI, the console, a test).
 * A name the definition does not know (made through the API) keeps its physical name.
 */
export type TraceRef = string;

/**
 * What a hop was:
 * - `request`: an API request reached the app (HTTP or WebSocket), source `client`, target `api:…`;
 * - `invoke`: one invocation of a function (one attempt; a retry is another hop with `attempt` + 1);
 * - `send`: a message accepted by a queue (target `queue:…`);
 * - `put`: an event accepted by a bus (target `bus:…`);
 * - `match`: a rule matched an event and delivered it to a target (source `rule:…`);
 * - `schedule`: a schedule fired (source `schedule:…`);
 * - `dead-letter`: a message or event moved to a dead-letter queue (target the DLQ), `detail` says why;
 * - `destination`: an async invocation's record sent to its on-success/on-failure destination;
 * - `drop`: something was discarded for good (async event past its retries or age with no
 *   destination, a delivery past its retry policy with no DLQ), `detail` says why.
 */
export type HopKind =
  | "request"
  | "invoke"
  | "send"
  | "put"
  | "match"
  | "schedule"
  | "dead-letter"
  | "destination"
  | "drop";

/** `success`; `error` (a function error, a failed delivery); `timeout`; `throttled` (429, concurrency); `dropped`. */
export type HopOutcome = "success" | "error" | "timeout" | "throttled" | "dropped";

/** What a service hands the tracer (the tracer truncates the payload and stamps the id). */
export interface HopInput {
  /** The X-Ray trace header this hop ran under (`Root=…;Parent=…`): its Root is the trace. */
  readonly header: string;
  /** The header of what caused this hop, when there was one: its Parent is this hop's parent. */
  readonly parentHeader?: string;
  readonly kind: HopKind;
  readonly source: TraceRef;
  readonly target: TraceRef;
  /** On the cloud's clock. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly outcome: HopOutcome;
  /** 1 for the first attempt; an async retry, a redelivered message count up. @default 1 */
  readonly attempt?: number;
  /** The event, message body or request as text (a function's event, a message body, an event's JSON). */
  readonly payload: string;
  /** An error's type and message, the DLQ or destination it went to, why it was dropped. */
  readonly detail?: string;
  /** Lambda's request id, SQS's message id, EventBridge's event id. */
  readonly requestId?: string;
}

/** One recorded hop. */
export interface TraceHop {
  /** The store's sequence number: increasing, the cursor for "what is new since". */
  readonly seq: number;
  /** The trace: the X-Ray Root, `1-<8 hex>-<24 hex>`. */
  readonly traceId: string;
  /** This hop's segment id: the Parent of the header it ran under (16 hex). */
  readonly hopId: string;
  /** The hop that caused it (the Parent of the header it got), when it is in the trace. */
  readonly parentId?: string;
  readonly kind: HopKind;
  readonly source: TraceRef;
  readonly target: TraceRef;
  readonly startMs: number;
  readonly durationMs: number;
  readonly outcome: HopOutcome;
  readonly attempt: number;
  /** At most TRACE_PAYLOAD_MAX_BYTES of it. */
  readonly payload: string;
  /** True when `payload` was cut: such a hop cannot be replayed. */
  readonly truncated: boolean;
  readonly detail?: string;
  readonly requestId?: string;
  /** The region whose cloud recorded it, in a multi-region `dev`'s merged answers. */
  readonly region?: string;
}

/** One trace in a listing. */
export interface TraceSummary {
  readonly traceId: string;
  /** The first hop's source and target (what started it). */
  readonly source: TraceRef;
  readonly target: TraceRef;
  readonly startMs: number;
  /** From the first hop's start to the last hop's end. */
  readonly durationMs: number;
  readonly hops: number;
  /** `error` when any hop failed (error, timeout, throttled, dropped) or went to a DLQ; else `success`. */
  readonly outcome: "success" | "error";
  /** Every resource it touched, sources and targets. */
  readonly resources: readonly TraceRef[];
  /** The newest hop's seq. */
  readonly lastSeq: number;
  /** The region whose cloud recorded it, in a multi-region `dev`'s merged answers. */
  readonly region?: string;
}

export interface TraceQuery {
  /** Only traces with a failed hop (`sluice traces --failed`). */
  readonly failed?: boolean;
  /** Only traces touching this resource (`function:publish`, or a bare name matching any kind). */
  readonly resource?: string;
  /** Only traces that started at or after this time (clock ms). */
  readonly sinceMs?: number;
  /** Only traces that started before this time (clock ms). */
  readonly untilMs?: number;
  /** Only traces with a hop whose seq is greater (the console's "what is new"). */
  readonly afterSeq?: number;
  /** Newest first, at most this many. @default 50, at most 1000 */
  readonly limit?: number;
}

/** One trace with its hops in time order, and the log lines of its invocations. */
export interface TraceTimeline {
  readonly traceId: string;
  readonly hops: readonly TraceHop[];
  /** Log lines of the trace's invocations, by Lambda request id, oldest first. */
  readonly logs: Readonly<Record<string, readonly TraceLogLine[]>>;
}

export interface TraceLogLine {
  readonly timestamp: number;
  readonly text: string;
}

/** Counters of one resource for the console's graph. */
export interface ResourceCounters {
  readonly resource: TraceRef;
  /** Functions: invocations and failed ones since the cloud started. */
  readonly invocations?: number;
  readonly errors?: number;
  /** Queues: visible, in flight, delayed; and the DLQ's visible messages when it has one. */
  readonly depth?: number;
  readonly inFlight?: number;
  readonly delayed?: number;
  readonly dlqDepth?: number;
  /** Stream consumers: the iterator age of their last batch, ms. */
  readonly iteratorAgeMs?: number;
  /** The region whose cloud counted it, in a multi-region `dev`'s merged answers. */
  readonly region?: string;
}

/** Records hops. Services hold one; recording never throws into the service. */
export interface Tracer {
  record(hop: HopInput): void;
}

/** A tracer that records nothing (one-shot commands, services built outside a cloud). */
export const NO_TRACER: Tracer = { record() {} };
