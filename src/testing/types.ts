/**
 * `sluice/testing` (issue 20): an app's whole local cloud inside the test's process, on a clock
 * that moves only when the test says, for node:test, Vitest and Jest.
 *
 * ```ts
 * import { startApp } from "sluice/testing";
 * const app = await startApp("examples/pipeline");
 * await app.send("pages", { site: "example.com", paths: ["/"] });
 * await app.clock.advance("5 minutes");
 * const trace = await app.waitFor({ function: "publish", outcome: "success" });
 * expect(app.queue("pages-dlq").depth).toBe(0);
 * await app.close();
 * ```
 */
import type { HopKind, HopOutcome, TraceSummary, TraceTimeline } from "../local/traces/index.ts";

export interface StartAppOptions {
  /**
   * Where the clock starts, as epoch ms or a Date.
   * @default the wall clock's now when the app starts
   */
  readonly now?: number | Date;
  /**
   * How calls the functions make through the SDK are checked against their permissions, as in
   * `sluice dev --iam`. @default "enforce": a test fails where AWS would deny
   */
  readonly iam?: "enforce" | "warn" | "off";
  /** Serve the app's HTTP and WebSocket APIs on free loopback ports. @default true */
  readonly apis?: boolean;
  /** Each line a function logs, as it happens (the test's own output stays quiet by default). */
  readonly onLog?: (line: { readonly functionName: string; readonly text: string }) => void;
}

/** A duration as `sluice time advance` takes it (`"5 minutes"`, `"90s"`, `"1h"`) or milliseconds. */
export type DurationInput = string | number;

export interface TestClock {
  /** The app's now, epoch ms. */
  now(): number;
  /**
   * Moves the clock forward: every timer due up to the new time fires in time order (schedules,
   * retries, visibility timeouts, delays, TTL, Wait states), and the work each one starts settles
   * before the next fires and before this returns.
   */
  advance(duration: DurationInput): Promise<void>;
}

/** Which recorded hop `waitFor` waits for; every given field must match. */
export interface HopMatch {
  /** An invocation of this function (the definition's name). */
  readonly function?: string;
  /** A message sent to this queue, or an invocation it caused. */
  readonly queue?: string;
  /** Any hop touching this resource (`queue:pages`, `rule:orders.audit`, or a bare name). */
  readonly resource?: string;
  readonly kind?: HopKind;
  readonly outcome?: HopOutcome;
  /** Only in this trace. */
  readonly traceId?: string;
}

export interface WaitOptions {
  /** Real time to wait for work already running (never moves the clock). @default 10000 */
  readonly timeoutMs?: number;
}

export interface QueueView {
  /** Messages available to receive (ApproximateNumberOfMessages). */
  readonly depth: number;
  /** Received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Sent with a delay not yet over (ApproximateNumberOfMessagesDelayed). */
  readonly delayed: number;
}

export interface SendOptions {
  readonly delaySeconds?: number;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  /** String message attributes, name to value. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface TestInvokeResult {
  readonly requestId: string;
  readonly traceId: string;
  /** The function's result, parsed from its JSON (Lambda's error object for a function error). */
  readonly payload: unknown;
  /** `Unhandled` when the function threw, timed out or crashed. */
  readonly functionError?: string;
}

export interface TestApp {
  readonly clock: TestClock;
  /** The local endpoint: AWS_ENDPOINT_URL for SDK clients a test makes itself. */
  readonly endpoint: string;
  /** The HTTP API's base URL, when the app has one and `apis` is on. */
  readonly httpUrl: string | undefined;
  /** The WebSocket API's URL, when the app has one and `apis` is on. */
  readonly websocketUrl: string | undefined;
  /** SendMessage to a queue of the definition; an object body is sent as JSON. Settles before it returns. */
  send(queue: string, body: unknown, options?: SendOptions): Promise<{ messageId: string; traceId: string }>;
  /** A synchronous invoke (RequestResponse); its routes are delivered and settled before it returns. */
  invoke(fn: string, event?: unknown): Promise<TestInvokeResult>;
  /** PutEvents of one event on a bus of the definition (or `default`). Settles before it returns. */
  put(
    bus: string,
    event: { readonly source: string; readonly detailType: string; readonly detail: unknown },
  ): Promise<{ eventId: string; traceId: string }>;
  /** Waits (in real time, never moving the clock) until nothing is running or due now. */
  settle(): Promise<void>;
  /**
   * The trace of the first recorded hop that matches, once one exists: waits for running work,
   * never moves the clock; rejects after `timeoutMs` with the hops recorded so far.
   */
  waitFor(match: HopMatch, options?: WaitOptions): Promise<TraceTimeline>;
  /** Recorded traces, newest first. */
  traces(query?: { readonly failed?: boolean; readonly resource?: string }): TraceSummary[];
  /** One recorded trace. */
  trace(traceId: string): TraceTimeline;
  /** A queue of the definition, counted now. */
  queue(name: string): QueueView;
  /**
   * The lines a function has logged so far, oldest first, as its CloudWatch log stream holds them:
   * Lambda's `START`, `END` and `REPORT` lines of each invocation included, as on AWS.
   * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
   */
  logs(fn: string): string[];
  /** Stops everything and removes the app's temporary state folder. */
  close(): Promise<void>;
}
