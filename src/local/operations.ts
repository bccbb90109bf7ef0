import { SluiceError } from "../model/errors.ts";
import { SystemClock } from "./clock/index.ts";
import type { DrillOperations } from "./drill-operations.ts";
import type { TableSummary } from "./dynamodb/index.ts";
import {
  type ExecutionListing,
  type ExecutionsRequest,
  type ExecutionTimeline,
  executionTimeline,
  listExecutions,
} from "./execution-operations.ts";
import type { FunctionInfo } from "./lambda/index.ts";
import type { LocalCloud } from "./local-cloud.ts";
import { countObjects } from "./s3/index.ts";
import type { ScheduleInfo } from "./scheduler/index.ts";
import type { QueueStats, SendMessageInput, SendMessageResult } from "./sqs/index.ts";
import { countersOf, purgeOf, putEventOf, replayOf, traceOf, triggerScheduleOf } from "./trace-operations.ts";
import type { ResourceCounters, TraceQuery, TraceSummary, TraceTimeline } from "./traces/index.ts";

/** `sluice invoke`: one invocation of a function, synchronous unless `async`. */
export interface InvokeFunctionRequest {
  readonly function: string;
  /** The event as JSON text. */
  readonly payload: string;
  readonly async?: boolean;
  readonly tailLog?: boolean;
  /** The region whose cloud runs it, in a multi-region `dev` (`--region`). @default the primary */
  readonly region?: string;
}

export type InvokeResponse =
  | { readonly async: true; readonly requestId: string; readonly statusCode: 202 }
  | {
      readonly async: false;
      readonly requestId: string;
      readonly statusCode: number;
      readonly payload: string;
      readonly functionError?: string;
      readonly logTail?: string;
    };

/** `sluice send`: SendMessage in SQS's own words. */
export interface SendRequest
  extends Pick<SendMessageInput, "body" | "delaySeconds" | "messageGroupId" | "messageDeduplicationId"> {
  readonly queue: string;
  /** String message attributes, name to value (the control API carries JSON text). */
  readonly messageAttributes?: Readonly<Record<string, string>>;
  /** The region whose queue takes it, in a multi-region `dev` (`--region`). @default the primary */
  readonly region?: string;
}

/** `sluice buckets`: one S3 bucket of the local cloud. */
export interface BucketSummary {
  readonly bucketName: string;
  /** The definition's name for it; absent for a bucket a script or CLI made. */
  readonly name?: string;
  readonly objects: number;
  /** Its local website URL, while `dev` serves it. */
  readonly websiteUrl?: string;
}

/**
 * What the CLI can ask of a local cloud. A running `dev` serves it over its control endpoint;
 * without one, the CLI opens the app's state itself. Both paths share this one implementation.
 */
export interface Operations {
  invoke(request: InvokeFunctionRequest): Promise<InvokeResponse>;
  send(request: SendRequest): Promise<SendMessageResult>;
  queues(): Promise<QueueStats[]>;
  /**
   * Each DynamoDB table: item count, size, stream and TTL (`sluice tables`), in `region` in a
   * multi-region `dev` (`--region`). @default the primary
   */
  tables(region?: string): Promise<TableSummary[]>;
  /** Each S3 bucket: object count, and the website URL `dev` serves it on (`sluice buckets`). */
  buckets(): Promise<BucketSummary[]>;
  /** Each function's Lambda state, last update status, and warm and busy environments. */
  functions(): Promise<FunctionInfo[]>;
  redrive(queue: string, to?: string): Promise<{ moved: number }>;
  /** Each schedule with its next `count` due times. */
  schedules(count: number): Promise<ScheduleInfo[]>;
  /** The local cloud's clock, as epoch milliseconds. */
  time(): Promise<{ now: number }>;
  /** Moves the clock forward; what falls due fires in order. */
  advanceTime(ms: number): Promise<{ now: number }>;
  /** Step Functions executions of one state machine or all, newest first (`sluice executions`). */
  executions(request: ExecutionsRequest): Promise<ExecutionListing[]>;
  /** One execution (by ARN or unique name) and its whole history (`sluice execution`). */
  execution(execution: string): Promise<ExecutionTimeline>;
  /** Failover drills and the health report: only a running `dev` has them. */
  readonly drills?: DrillOperations;
  /** Recent traces, newest first (`sluice traces`, the console's list). */
  traces(query: TraceQuery): Promise<TraceSummary[]>;
  /** One trace's hops in time order with its invocations' logs (`sluice trace <id>`). */
  trace(traceId: string): Promise<TraceTimeline>;
  /** Counters of every resource, for the console's graph. */
  counters(): Promise<ResourceCounters[]>;
  /** PurgeQueue. */
  purge(queue: string): Promise<{ purged: number }>;
  /** PutEvents of one event on a bus (the definition's name, or `default`). */
  putEvent(request: PutEventRequest): Promise<{ eventId: string }>;
  /**
   * Sends a recorded hop's payload again where it went (an invoke asynchronously to its
   * function, a message to its queue, an event to its bus), as a new trace. A hop whose payload
   * was truncated cannot be replayed (SLUICE_TRACE_TRUNCATED).
   */
  replay(request: ReplayRequest): Promise<{ traceId: string }>;
  /** Fires a schedule now, as at its next time, without changing its next times. */
  triggerSchedule(schedule: string): Promise<{ traceId: string }>;
}

/** The console's and `sluice` control API's PutEvents of one event. */
export interface PutEventRequest {
  /** The definition's bus name, or `default`. */
  readonly bus: string;
  readonly source: string;
  readonly detailType: string;
  /** The detail as JSON text. */
  readonly detail: string;
  /** The region whose bus takes it, in a multi-region `dev`. @default the primary */
  readonly region?: string;
}

export interface ReplayRequest {
  readonly traceId: string;
  readonly hopId: string;
  /** The region that recorded the hop, in a multi-region `dev`. @default the one that has it */
  readonly region?: string;
}

/** The most one `time advance` moves the clock: ten years, far beyond any AWS timer Sluice runs. */
export const MAX_ADVANCE_MS = 10 * 365 * 24 * 60 * 60 * 1000;
/** The latest time the clock may show: JavaScript dates end at ±8.64e15 ms. */
const LATEST_MS = 8.64e15;

/**
 * The one rule for moving the clock, used by the CLI, the control API and `advanceTime`: a
 * finite, non-negative number of milliseconds up to MAX_ADVANCE_MS. An absurd value (1e300,
 * Infinity, NaN) would put the clock past the end of dates and break every timer after it.
 */
export function checkAdvance(ms: number, nowMs = 0): number {
  if (
    typeof ms !== "number" ||
    !Number.isFinite(ms) ||
    ms < 0 ||
    ms > MAX_ADVANCE_MS ||
    nowMs + ms > LATEST_MS
  ) {
    throw new SluiceError(
      "SLUICE_ADVANCE_OUT_OF_RANGE",
      `time advance takes 0 to ${MAX_ADVANCE_MS} ms (10 years) per call; got ${String(ms).slice(0, 40)}`,
    );
  }
  return ms;
}

/**
 * A request's `region` must be the cloud's own: operations over one cloud serve one region (a
 * multi-region `dev` sends each request to its region's operations).
 */
function inRegion(cloud: LocalCloud, region: string | undefined): LocalCloud {
  if (region === undefined || region === cloud.spec.region) return cloud;
  throw new SluiceError(
    "SLUICE_REGION_NOT_RUN",
    `the app runs locally in ${cloud.spec.region}, not ${region.slice(0, 40)}; leave --region out, or run sluice dev with that region (the definition's regions, or --regions)`,
    { context: { region } },
  );
}

/** `current` is read on every call, because `dev` replaces its cloud when the definition changes. */
export function directOperations(
  current: () => LocalCloud,
  /** The local website URL of a bucket (by physical name), where a `dev` serves one. */
  websiteUrl: (bucketName: string) => string | undefined = () => undefined,
): Operations {
  return {
    async invoke(request) {
      const cloud = inRegion(current(), request.region);
      if (request.async) {
        const { requestId } = cloud.invokeAsync(request.function, request.payload);
        return { async: true, requestId, statusCode: 202 };
      }
      const result = await cloud.invoke(request.function, request.payload, {
        tailLog: request.tailLog ?? false,
      });
      return {
        async: false,
        requestId: result.requestId,
        statusCode: result.statusCode,
        payload: result.payload,
        ...(result.functionError ? { functionError: result.functionError } : {}),
        ...(result.logTail !== undefined ? { logTail: result.logTail } : {}),
      };
    },
    async send(request) {
      const { queue, messageAttributes = {}, region, ...input } = request;
      const attributes = Object.entries(messageAttributes).map(([name, value]) => [
        name,
        { dataType: "String", stringValue: value },
      ]);
      return inRegion(current(), region).sqs.sendMessage(queue, {
        ...input,
        ...(attributes.length ? { messageAttributes: Object.fromEntries(attributes) } : {}),
      });
    },
    async queues() {
      const cloud = current();
      return cloud.sqs.listQueues().map((q) => cloud.sqs.stats(q.name));
    },
    async tables(region) {
      return [...inRegion(current(), region).dynamodb.tables()];
    },
    async buckets() {
      const cloud = current();
      const names = new Map(Object.values(cloud.spec.buckets ?? {}).map((b) => [b.bucketName, b.name]));
      return cloud.s3.buckets().map((bucket) => {
        const name = names.get(bucket.name);
        const url = websiteUrl(bucket.name);
        return {
          bucketName: bucket.name,
          ...(name === undefined ? {} : { name }),
          objects: countObjects(cloud.s3, bucket.name),
          ...(url === undefined ? {} : { websiteUrl: url }),
        };
      });
    },
    async functions() {
      const cloud = current();
      return cloud.lambda.functionStates();
    },
    async redrive(queue, to) {
      const cloud = current();
      return { moved: cloud.sqs.redrive(queue, to) };
    },
    async schedules(count) {
      return current().scheduler.list(count);
    },
    async executions(request) {
      const cloud = current();
      return listExecutions(cloud.stepFunctions, cloud.spec, request);
    },
    async execution(execution) {
      const cloud = current();
      return executionTimeline(cloud.stepFunctions, cloud.spec, execution);
    },
    async time() {
      return { now: current().clock.now() };
    },
    async advanceTime(ms) {
      const clock = current().clock;
      checkAdvance(ms, clock.now());
      if (!(clock instanceof SystemClock))
        throw new SluiceError("SLUICE_CLOCK_FIXED", "this local cloud's clock cannot be moved");
      clock.advance(ms);
      return { now: clock.now() };
    },
    async traces(query) {
      return current().traces.list(query);
    },
    async trace(traceId) {
      return traceOf(current(), traceId);
    },
    async counters() {
      return countersOf(current());
    },
    async purge(queue) {
      return purgeOf(current(), queue);
    },
    async putEvent(request) {
      const { eventId } = putEventOf(inRegion(current(), request.region), request);
      return { eventId };
    },
    async replay(request) {
      return replayOf(inRegion(current(), request.region), request.traceId, request.hopId);
    },
    async triggerSchedule(schedule) {
      return triggerScheduleOf(current(), schedule);
    },
  };
}
