/**
 * The TestApp a `startApp` returns: the test's handle on one running app. Calls that start work
 * (send, invoke, put, advance) settle it before they return, so a test asserts on a quiet app.
 */

import type { DevSession } from "../dev/dev-session.ts";
import type { ManualClock } from "../local/clock/index.ts";
import type { LocalCloud } from "../local/local-cloud.ts";
import type { MessageAttributes } from "../local/sqs/index.ts";
import { newTraceHeader, type TraceSummary, type TraceTimeline, traceRootOf } from "../local/traces/index.ts";
import { parseAdvanceDuration } from "../model/duration.ts";
import type { CapturedLogs } from "./captured-logs.ts";
import { appClosed, badDuration, unknownTrace } from "./errors.ts";
import { removeStateFolder } from "./state-folder.ts";
import type {
  DurationInput,
  HopMatch,
  QueueView,
  SendOptions,
  TestApp,
  TestClock,
  TestInvokeResult,
  WaitOptions,
} from "./types.ts";
import { timelineOf, waitForHop } from "./wait-for.ts";

/** How long `waitFor` waits by default, in real time (types.ts WaitOptions). */
const WAIT_TIMEOUT_MS = 10_000;

export interface TestAppParts {
  readonly session: DevSession;
  readonly clock: ManualClock;
  readonly stateDir: string;
  readonly logs: CapturedLogs;
  readonly settle: () => Promise<void>;
}

export class LocalTestApp implements TestApp {
  readonly clock: TestClock;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly parts: TestAppParts) {
    const { clock } = parts;
    this.clock = {
      now: () => this.open("clock.now") && clock.now(),
      advance: async (duration: DurationInput) => {
        this.open("clock.advance");
        await clock.advance(durationMs(duration));
      },
    };
  }

  get endpoint(): string {
    this.open("endpoint");
    return this.parts.session.url;
  }

  get httpUrl(): string | undefined {
    this.open("httpUrl");
    return this.parts.session.apiUrls.http;
  }

  get websocketUrl(): string | undefined {
    this.open("websocketUrl");
    return this.parts.session.apiUrls.websocket;
  }

  async send(
    queue: string,
    body: unknown,
    options: SendOptions = {},
  ): Promise<{ messageId: string; traceId: string }> {
    const cloud = this.cloud("send");
    // A header of our own, as an X-Ray-instrumented SDK sends X-Amzn-Trace-Id with SendMessage,
    // so the trace id is known before the message moves.
    // https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
    const traceHeader = newTraceHeader(cloud.clock.now());
    const { messageId } = cloud.sqs.sendMessage(queue, {
      body: typeof body === "string" ? body : JSON.stringify(body),
      traceHeader,
      source: "client",
      ...(options.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }),
      ...(options.messageGroupId === undefined ? {} : { messageGroupId: options.messageGroupId }),
      ...(options.messageDeduplicationId === undefined
        ? {}
        : { messageDeduplicationId: options.messageDeduplicationId }),
      ...(options.attributes === undefined
        ? {}
        : { messageAttributes: stringAttributes(options.attributes) }),
    });
    await this.settle();
    return { messageId, traceId: traceIdOf(traceHeader) };
  }

  async invoke(fn: string, event: unknown = {}): Promise<TestInvokeResult> {
    const cloud = this.cloud("invoke");
    const traceHeader = newTraceHeader(cloud.clock.now());
    const result = await cloud.invoke(fn, JSON.stringify(event), { traceHeader, source: "client" });
    await this.settle();
    return {
      requestId: result.requestId,
      traceId: traceIdOf(traceHeader),
      payload: parsed(result.payload),
      ...(result.functionError ? { functionError: result.functionError } : {}),
    };
  }

  async put(
    bus: string,
    event: { readonly source: string; readonly detailType: string; readonly detail: unknown },
  ): Promise<{ eventId: string; traceId: string }> {
    const cloud = this.cloud("put");
    // PutEventsRequestEntry's TraceHeader: EventBridge passes it on to the rules' targets.
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-xray-integ.html
    const traceHeader = newTraceHeader(cloud.clock.now());
    const eventBusName = bus === "default" ? "default" : (cloud.spec.events?.buses[bus]?.eventBusName ?? bus);
    const result = cloud.events.putEvents([
      {
        Source: event.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        EventBusName: eventBusName,
        TraceHeader: traceHeader,
      },
    ]);
    const entry = result.Entries[0];
    if (!entry || !("EventId" in entry)) {
      const why = entry ? `${entry.ErrorCode}: ${entry.ErrorMessage}` : "no entry in the answer";
      throw new Error(`PutEvents on bus ${bus} failed: ${why}`);
    }
    await this.settle();
    return { eventId: entry.EventId, traceId: traceIdOf(traceHeader) };
  }

  settle(): Promise<void> {
    this.open("settle");
    return this.parts.settle();
  }

  async waitFor(match: HopMatch, options: WaitOptions = {}): Promise<TraceTimeline> {
    const store = this.cloud("waitFor").traces;
    const hop = await waitForHop(store, match, options.timeoutMs ?? WAIT_TIMEOUT_MS);
    // The rest of the trace the hop started, as far as it goes without the clock moving.
    await this.settle();
    return timelineOf(store, hop);
  }

  traces(query: { readonly failed?: boolean; readonly resource?: string } = {}): TraceSummary[] {
    return this.cloud("traces").traces.list(query);
  }

  trace(traceId: string): TraceTimeline {
    const timeline = this.cloud("trace").traces.timeline(traceId);
    if (!timeline) throw unknownTrace(traceId);
    return timeline;
  }

  queue(name: string): QueueView {
    const stats = this.cloud("queue").sqs.stats(name);
    return { depth: stats.visible, inFlight: stats.inFlight, delayed: stats.delayed };
  }

  logs(fn: string): string[] {
    this.open("logs");
    return this.parts.logs.of(fn);
  }

  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      try {
        await this.parts.session.close();
      } finally {
        removeStateFolder(this.parts.stateDir);
      }
    })();
    return this.closing;
  }

  /** Throws the clear error once the app is closed; true otherwise (for `&&` chains). */
  private open(method: string): true {
    if (this.closed) throw appClosed(method);
    return true;
  }

  private cloud(method: string): LocalCloud {
    this.open(method);
    return this.parts.session.localCloud;
  }
}

function durationMs(duration: DurationInput): number {
  const ms = typeof duration === "number" ? duration : parseAdvanceDuration(duration);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) throw badDuration(duration);
  return ms;
}

function traceIdOf(header: string): string {
  const root = traceRootOf(header);
  if (!root) throw new Error(`no trace id in the trace header ${header}`);
  return root;
}

function stringAttributes(attributes: Readonly<Record<string, string>>): MessageAttributes {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { dataType: "String", stringValue: value }]),
  );
}

function parsed(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}
