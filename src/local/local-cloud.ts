import { join } from "node:path";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { asyncBusNames } from "../model/async-invoke.ts";
import { AwsError } from "../model/errors.ts";
import { specBusName } from "../model/events.ts";
import { arn, queueArn } from "../model/naming.ts";
import { AsyncInvokeQueue, type AsyncInvokeEvent } from "./async-invoke/index.ts";
import type { Clock } from "./clock/index.ts";
import { type PollerEvent, SqsPoller } from "./event-source/index.ts";
import { EventBusService, type EventBusEvent } from "./events/index.ts";
import {
  type FunctionCode,
  createLambdaService,
  type InvokeResult,
  type LocalLambdaService,
  type LogLine,
} from "./lambda/index.ts";
import { Router } from "./routing/index.ts";
import { LocalScheduler, type SchedulerEvent, deliverScheduled } from "./scheduler/index.ts";
import { createQueueService, type QueueService } from "./sqs/index.ts";
import { type Db, openStore } from "./store/index.ts";
import { type LocalCa, localCa } from "./tls/index.ts";

export type CloudEvent =
  | AsyncInvokeEvent
  | PollerEvent
  | SchedulerEvent
  | EventBusEvent
  | { readonly type: "log"; readonly line: LogLine };

export interface LocalCloudOptions {
  readonly spec: AppSpec;
  /** The app's `.sluice` folder; the SQLite file lives here. */
  readonly stateDir: string;
  readonly clock: Clock;
  /** A function's bundle; `transport: "aws"` for a deployed bundle that routes through the AWS SDK. */
  readonly code: (fn: FunctionSpec) => FunctionCode;
  /** Run event source mappings and the async queue. Off for one-shot commands. @default true */
  readonly background?: boolean;
  /** How long an idle environment stays warm. @default 10 minutes */
  readonly idleTimeoutMs?: number;
  /** How long a function may go uninvoked before its state is Inactive. @default 14 days */
  readonly inactiveAfterMs?: number;
  /**
   * Execution environments alive at once across all functions; beyond it the environment idle the
   * longest is ended, or the invocation is throttled (429 TooManyRequestsException) as at the
   * account's concurrency. Bounds the memory a busy app takes on the developer's machine.
   * @default 64
   * @example maxEnvironments: 16
   */
  readonly maxEnvironments?: number;
  /**
   * Make (or reuse) the state folder's CA (`tls/`) and have every function trust it, so a
   * WebSocket API can serve `@connections` at `https://${domainName}/${stage}`.
   * @default true when `spec` has a WebSocket API
   * @example trustLocalCa: deployedApis.some((api) => api.kind === "websocket")
   */
  readonly trustLocalCa?: boolean;
  /** Extra variables for every function's environment (endpoint URL, credentials). */
  readonly environment?: (fn: FunctionSpec) => Record<string, string>;
  readonly onEvent?: (event: CloudEvent) => void;
}

export const STATE_FILE = "state.sqlite";

/**
 * The whole local cloud for one app: its SQLite file, the SQS and Lambda surfaces, the async
 * invoke queue, the event source mappings, and the router that joins results to the next
 * components. Surfaces only meet here, through their interfaces.
 */
export class LocalCloud {
  readonly db: Db;
  readonly sqs: QueueService;
  readonly lambda: LocalLambdaService;
  readonly asyncInvoke: AsyncInvokeQueue;
  readonly router: Router;
  /** EventBridge: PutEvents, rules and their targets. */
  readonly events: EventBusService;
  readonly scheduler: LocalScheduler;
  /**
   * The state folder's CA, which every function trusts, for an app with a WebSocket API: its
   * server answers https with a certificate the CA signs (ApiBackend.certificateAuthority).
   */
  readonly certificateAuthority: LocalCa | undefined;
  private readonly pollers: SqsPoller[] = [];
  private readonly stopLogs: () => void;

  constructor(private readonly options: LocalCloudOptions) {
    const { spec, clock } = options;
    // The cloud is the file's only user while it runs (issue 14: no lock calls per commit); the
    // CLI reaches a running dev through its control API, not the file (cli/connect.ts).
    this.db = openStore(join(options.stateDir, STATE_FILE), { exclusive: true });
    this.certificateAuthority =
      (options.trustLocalCa ?? spec.websocket !== undefined) ? localCa(options.stateDir) : undefined;
    this.sqs = createQueueService({ db: this.db, clock, region: spec.region, accountId: spec.accountId });
    this.sqs.ensureQueues(Object.values(spec.queues));
    this.lambda = createLambdaService({
      functions: Object.values(spec.functions),
      code: options.code,
      clock,
      region: spec.region,
      accountId: spec.accountId,
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.inactiveAfterMs !== undefined ? { inactiveAfterMs: options.inactiveAfterMs } : {}),
      ...(options.maxEnvironments !== undefined ? { maxEnvironments: options.maxEnvironments } : {}),
      ...(options.environment ? { environment: options.environment } : {}),
      ...(this.certificateAuthority ? { trustedCa: this.certificateAuthority.certPem } : {}),
    });
    this.stopLogs = this.lambda.onLog((line) => options.onEvent?.({ type: "log", line }));
    this.asyncInvoke = new AsyncInvokeQueue({
      db: this.db,
      clock,
      lambda: this.lambda,
      functionNames: Object.keys(spec.functions),
      functions: Object.values(spec.functions),
      sqs: this.sqs,
      buses: {
        busNames: asyncBusNames(spec),
        physicalBusName: (bus) => specBusName(spec, bus),
        // The bus service is built after this queue; a record reaches it only once both exist.
        putEvents: (entries) => this.events.putEvents(entries),
      },
      region: spec.region,
      accountId: spec.accountId,
      onResult: (name, result) => this.route(name, result),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    this.events = new EventBusService({
      db: this.db,
      clock,
      spec,
      invokeAsync: (name, payload) => this.asyncInvoke.enqueue(name, payload),
      sqs: this.sqs,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    this.router = new Router(spec, this.sqs, this.asyncInvoke, this.events);
    this.scheduler = new LocalScheduler({
      db: this.db,
      clock,
      schedules: Object.values(spec.schedules ?? {}),
      region: spec.region,
      accountId: spec.accountId,
      deliver: (delivery) =>
        deliverScheduled(
          {
            invokeAsync: (name, payload) => this.invokeAsync(name, payload),
            sqs: this.sqs,
            physicalBusName: (bus) => specBusName(spec, bus),
            putEvents: (bus, entry) => this.events.putEvents([{ ...entry, EventBusName: bus }]),
          },
          delivery,
        ),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get spec(): AppSpec {
    return this.options.spec;
  }

  /** Settles once each function's first environment has initialised or failed to (after start()). */
  activated: Promise<void> = Promise.resolve();

  /** Starts the event source mappings and resumes accepted async events. */
  start(): void {
    if (this.options.background === false) return;
    const { spec, clock } = this.options;
    for (const fn of Object.values(spec.functions)) {
      if (!fn.consumes) continue;
      const queue = this.sqs.getQueue(fn.consumes.queue);
      const poller = new SqsPoller({
        fn,
        queue,
        queueArn: queueArn(spec, queue),
        region: spec.region,
        sqs: this.sqs,
        lambda: this.lambda,
        clock,
        onResult: (result) => this.route(fn.name, result),
        ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
      });
      poller.start();
      this.pollers.push(poller);
    }
    this.asyncInvoke.start();
    this.events.start();
    this.scheduler.start();
    // Functions become Active (or Failed) as their code loads, before anything invokes them.
    this.activated = this.lambda.activate();
  }

  /** A synchronous invoke whose routing is delivered before it returns, as the wrapper does on AWS. */
  async invoke(
    functionName: string,
    payload: string,
    options: { tailLog?: boolean; clientContext?: string; serialized?: boolean } = {},
  ): Promise<InvokeResult> {
    const result = await this.lambda.invoke(functionName, {
      payload,
      ...(options.tailLog ? { tailLog: true } : {}),
      ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }),
      ...(options.serialized ? { serialized: true } : {}),
    });
    this.route(functionName, result);
    return result;
  }

  /** An asynchronous invoke: accepted durably, run by the async queue. */
  invokeAsync(functionName: string, payload: string): { requestId: string } {
    if (!this.options.spec.functions[functionName]) throw this.unknownFunction(functionName);
    return this.asyncInvoke.enqueue(functionName, payload);
  }

  async close(): Promise<void> {
    this.scheduler.close();
    await Promise.all(this.pollers.map((p) => p.stop()));
    this.asyncInvoke.close();
    this.events.close();
    this.stopLogs();
    await this.lambda.close();
    this.sqs.close();
    this.db.close();
  }

  private route(functionName: string, result: InvokeResult): void {
    if (result.deliveries.length === 0) return;
    this.router.deliver(result.deliveries, { from: functionName, requestId: result.requestId });
  }

  private unknownFunction(name: string): AwsError {
    const { region, accountId } = this.options.spec;
    return new AwsError(
      "ResourceNotFoundException",
      `Function not found: ${arn("lambda", region, accountId, `function:${name}`)}`,
      404,
    );
  }
}
