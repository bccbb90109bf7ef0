/**
 * The rig of the stream mapping unit tests: a TableStreams on in-memory SQLite, a scripted Lambda
 * (no workers: each invoke calls `handler` in this process), a recording queue, a ManualClock.
 */

import { ManualClock } from "../../src/local/clock/clock.ts";
import type { ItemChange } from "../../src/local/dynamodb/streams/item-change.ts";
import { TableStreams } from "../../src/local/dynamodb/streams/table-streams.ts";
import { StreamPoller, type StreamPollerEvent } from "../../src/local/event-source/stream-poller.ts";
import type { InvokeInput, InvokeResult, LambdaService } from "../../src/local/lambda/types.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { FunctionSpec, TableConsumesSpec } from "../../src/model/app-spec.ts";
import { functionSpec } from "./specs.ts";

export const STREAM_ARN =
  "arn:aws:dynamodb:eu-west-1:123456789012:table/app-games/stream/2026-01-01T00:00:00.000";
export const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:app-rollup";

/** What the scripted function answers: a value to return, or `{ error }` for a function error. */
export type Answer = unknown | { readonly error: string };
export type Handler = (event: StreamTestEvent) => Answer | Promise<Answer>;

export interface StreamTestEvent {
  Records: {
    eventSourceARN: string;
    dynamodb: {
      SequenceNumber: string;
      Keys: { pk: { S: string }; sk: { N: string } };
      NewImage?: Record<string, { N?: string; S?: string }>;
    };
  }[];
  window?: { start: string; end: string };
  state?: unknown;
  isFinalInvokeForWindow?: boolean;
  isWindowTerminatedEarly?: boolean;
  shardId?: string;
}

export function consumes(overrides: Partial<TableConsumesSpec> = {}): TableConsumesSpec {
  return {
    table: "games",
    batchSize: 100,
    maximumBatchingWindowSeconds: 0,
    startingPosition: "TRIM_HORIZON",
    maximumRetryAttempts: -1,
    maximumRecordAgeSeconds: -1,
    bisectBatchOnFunctionError: false,
    parallelizationFactor: 1,
    reportBatchItemFailures: false,
    ...overrides,
  };
}

export class StreamRig {
  readonly clock = new ManualClock();
  readonly db: Db = openStore(":memory:");
  readonly streams = new TableStreams({
    db: this.db,
    clock: this.clock,
    region: "eu-west-1",
  });
  readonly events: StreamTestEvent[] = [];
  readonly payloads: string[] = [];
  readonly sent: { queue: string; body: string }[] = [];
  readonly pollerEvents: StreamPollerEvent[] = [];
  handler: Handler = () => null;
  /** Invocations in flight now, and the most at once. */
  inFlight = 0;
  maxInFlight = 0;
  private poller: StreamPoller | undefined;
  private counter = 0;
  /** Every invoke's input (its trace header, source and attempt). */
  readonly inputs: InvokeInput[] = [];

  readonly lambda: LambdaService = {
    invoke: async (_name, input) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        this.payloads.push(input.payload);
        this.inputs.push(input);
        const event = JSON.parse(input.payload) as StreamTestEvent;
        this.events.push(event);
        const answer = await this.handler(event);
        const error = answer !== null && typeof answer === "object" && "error" in answer;
        return {
          requestId: `req-${++this.counter}`,
          statusCode: 200,
          payload: error
            ? JSON.stringify({ errorMessage: (answer as { error: string }).error })
            : JSON.stringify(answer ?? null),
          ...(error ? { functionError: "Unhandled" as const } : {}),
          executedVersion: "$LATEST",
          deliveries: [],
          coldStart: false,
          traceHeader:
            input.traceHeader ?? "Root=1-00000000-000000000000000000000000;Parent=0000000000000000",
        } satisfies InvokeResult;
      } finally {
        this.inFlight--;
      }
    },
    hasCapacity: () => true,
    stats: () => [],
    reload: () => undefined,
    onLog: () => () => undefined,
    close: async () => undefined,
  };

  fn(overrides: Partial<TableConsumesSpec> = {}): FunctionSpec {
    return functionSpec("rollup", { consumesTable: consumes(overrides) });
  }

  start(overrides: Partial<TableConsumesSpec> = {}): StreamPoller {
    this.poller = new StreamPoller({
      fn: this.fn(overrides),
      functionArn: FUNCTION_ARN,
      streamArn: STREAM_ARN,
      streams: this.streams,
      db: this.db,
      lambda: this.lambda,
      clock: this.clock,
      sqs: {
        sendMessage: (queue, input) => {
          this.sent.push({ queue, body: input.body });
          return { messageId: `m${this.sent.length}`, md5OfMessageBody: "" };
        },
      },
      onResult: () => undefined,
      onEvent: (e) => this.pollerEvents.push(e),
    });
    this.poller.start();
    return this.poller;
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
  }

  /** Writes one change of item (pk, sk) with `n` in its new image. */
  put(pk: string, sk: number, n: number, eventName: ItemChange["eventName"] = "INSERT"): void {
    const keys = { pk: { S: pk }, sk: { N: String(sk) } };
    this.streams.record({
      tableName: "app-games",
      streamArn: STREAM_ARN,
      viewType: "NEW_AND_OLD_IMAGES",
      eventName,
      keys,
      partitionKey: "pk",
      newImage: { ...keys, n: { N: String(n) } },
    });
  }

  /** Lets the poller's loops run (promise callbacks, immediates) without moving the clock. */
  async settle(rounds = 30): Promise<void> {
    for (let i = 0; i < rounds; i++) await this.clock.advance(0);
  }

  /** Every delivered record's `n`, in delivery order. */
  delivered(): number[] {
    return this.events.flatMap((e) => e.Records.map((r) => Number(r.dynamodb.NewImage?.n?.N)));
  }
}
