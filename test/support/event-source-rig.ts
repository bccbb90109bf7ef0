/**
 * The rig of the event source mapping tests: the handlers in
 * test/fixtures/apps/event-handlers/handlers.mjs bundled as Sluice bundles functions, and real
 * SQS and Lambda services (worker threads) on a temp SQLite file, driven by a ManualClock.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type PollerEvent, SqsPoller } from "../../src/local/event-source/sqs-poller.ts";
import { createLambdaService } from "../../src/local/lambda/lambda-service.ts";
import type { InvokeResult, LambdaService } from "../../src/local/lambda/types.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";
import type { FunctionSpec, QueueSpec } from "../../src/model/app-spec.ts";
import { bundleFixture } from "./fixture-bundle.ts";
import type { HoldGate } from "./hold-gate.ts";
import { Recorder } from "./recorder.ts";
import { tempDir } from "./temp.ts";

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
const HERE = fileURLToPath(new URL("../fixtures/apps/event-handlers/", import.meta.url));

export interface HandlerBundle {
  readonly file: string;
  cleanup(): void;
}

/** handlers.mjs with the routing wrapper, as one ESM bundle (Sluice bundles functions this way). */
export async function bundleHandlers(): Promise<HandlerBundle> {
  const { file, cleanup } = await bundleFixture(join(HERE, "handlers.mjs"), "sluice-handlers-");
  return { file, cleanup };
}

export interface Invocation {
  readonly fn: string;
  /** Clock time the result came back. */
  readonly at: number;
  readonly result: InvokeResult;
}

export type TimedPollerEvent = PollerEvent & { readonly at: number };

export interface RigOptions {
  readonly bundle: HandlerBundle;
  readonly functions: readonly FunctionSpec[];
  readonly queues: readonly QueueSpec[];
  readonly gate?: HoldGate;
  readonly clock?: ManualClock;
}

/** Real SQS and Lambda services on a temp SQLite file, driven by a ManualClock. */
export class Rig {
  readonly clock: ManualClock;
  readonly db: Db;
  readonly sqs: QueueService;
  readonly lambda: LambdaService;
  readonly results = new Recorder<Invocation>();
  readonly events = new Recorder<TimedPollerEvent>();
  private readonly pollers: SqsPoller[] = [];
  private readonly temp = tempDir("sluice-rig-");

  constructor(private readonly options: RigOptions) {
    this.clock = options.clock ?? new ManualClock();
    this.db = openStore(join(this.temp.dir, "state.sqlite"));
    this.sqs = createQueueService({ db: this.db, clock: this.clock, region: REGION, accountId: ACCOUNT });
    this.sqs.ensureQueues(options.queues);
    const gateUrl = options.gate?.url;
    this.lambda = createLambdaService({
      functions: options.functions,
      code: (fn) => ({ file: options.bundle.file, exportName: fn.handler.export }),
      clock: this.clock,
      region: REGION,
      accountId: ACCOUNT,
      ...(gateUrl ? { environment: () => ({ GATE_URL: gateUrl }) } : {}),
    });
  }

  /** Starts the event source mapping of `fnName` (which must consume a queue). */
  poll(fnName: string): SqsPoller {
    const fn = this.options.functions.find((f) => f.name === fnName);
    if (!fn?.consumes) throw new Error(`${fnName} consumes no queue`);
    const queue = this.sqs.getQueue(fn.consumes.queue);
    const poller = new SqsPoller({
      fn,
      queue,
      queueArn: this.sqs.queueArn(queue.name),
      region: REGION,
      sqs: this.sqs,
      lambda: this.lambda,
      clock: this.clock,
      onResult: (result) => this.results.push({ fn: fn.name, at: this.clock.now(), result }),
      onEvent: (event) => this.events.push({ ...event, at: this.clock.now() }),
    });
    poller.start();
    this.pollers.push(poller);
    return poller;
  }

  /** Waits until `count` invocations of `fnName` have come back. */
  async invocations(fnName: string, count: number): Promise<Invocation[]> {
    const of = (items: readonly Invocation[]) => items.filter((i) => i.fn === fnName);
    await this.results.until((items) => of(items).length >= count, `${count} invocations of ${fnName}`);
    return of(this.results.items);
  }

  /** Lets the pollers run what is due without moving the clock. */
  settle(): Promise<void> {
    return this.clock.advance(0);
  }

  async close(): Promise<void> {
    try {
      await Promise.all(this.pollers.map((p) => p.stop()));
      await this.lambda.close();
    } finally {
      this.sqs.close();
      this.db.close();
      this.temp.cleanup();
    }
  }
}

/** The records of the SQS event a `consume` invocation received (it returns its event). */
export function recordsOf(invocation: Invocation): Record<string, unknown>[] {
  return (JSON.parse(invocation.result.payload) as { event: { Records: Record<string, unknown>[] } }).event
    .Records;
}

/** The ids (from the bodies) of the records an invocation received. */
export function idsOf(invocation: Invocation): string[] {
  return recordsOf(invocation).map((r) => (JSON.parse(String(r.body)) as { id: string }).id);
}

export function body(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, ...extra });
}
