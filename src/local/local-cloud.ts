import { join } from "node:path";
import type { AppSpec, FunctionSpec } from "../model/app-spec.ts";
import { asyncBusNames } from "../model/async-invoke.ts";
import { AwsError } from "../model/errors.ts";
import { specBusName } from "../model/events.ts";
import { mappingStandsBy } from "../model/fleet-roles.ts";
import type { Mutable } from "../model/mutable.ts";
import { arn, functionArn, physicalTableName, queueArn, resourcePrefix } from "../model/naming.ts";
import { type AsyncInvokeEvent, AsyncInvokeQueue } from "./async-invoke/index.ts";
import type { Clock, Timer } from "./clock/index.ts";
import { DynamoDbService, StreamsApi, TableStreams } from "./dynamodb/index.ts";
import { type PollerEvent, SqsPoller, StreamPoller, type StreamPollerEvent } from "./event-source/index.ts";
import { type EventBusEvent, EventBusService } from "./events/index.ts";
import { holdingProcessOpen } from "./hold-open.ts";
import {
  createLambdaService,
  type FunctionCode,
  type InvokeInput,
  type InvokeResult,
  type LocalLambdaService,
  type LogLine,
} from "./lambda/index.ts";
import { localStateMachines } from "./local-state-machines.ts";
import { Router } from "./routing/index.ts";
import {
  ensureBuckets,
  type KeptBucket,
  type NotificationEvent,
  type NotificationTargets,
  S3Notifications,
  S3Store,
} from "./s3/index.ts";
import { s3NotificationTargets } from "./s3-notification-targets.ts";
import { deliverScheduled, LocalScheduler, type SchedulerEvent } from "./scheduler/index.ts";
import { createQueueService, type QueueService } from "./sqs/index.ts";
import { type LocalStateMachine, localTaskPort, StepFunctionsEngine } from "./stepfunctions/index.ts";
import { type Db, openStore } from "./store/index.ts";
import { type LocalCa, localCa } from "./tls/index.ts";
import { dropStateTraces, TRACES_FILE, TraceStore } from "./traces/index.ts";

export type CloudEvent =
  | AsyncInvokeEvent
  | PollerEvent
  | StreamPollerEvent
  | SchedulerEvent
  | EventBusEvent
  | NotificationEvent
  | { readonly type: "log"; readonly line: LogLine }
  /** A bucket an earlier definition made that this one does not have: its objects are kept. */
  | ({ readonly type: "bucket-kept" } & KeptBucket);

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
  /**
   * The folder whose `tls/` CA that is: `dev` with several regions shares one CA (the app's
   * `.sluice/tls/`) between its regions' clouds, so clients trust one certificate.
   * @default stateDir
   */
  readonly caDir?: string;
  /** Extra variables for every function's environment (endpoint URL, credentials). */
  readonly environment?: (fn: FunctionSpec) => Record<string, string>;
  /** Variables set on a function outside its definition, shown as its own (LambdaServiceOptions.variables). */
  readonly variables?: (fn: FunctionSpec) => Record<string, string>;
  /**
   * The S3 this cloud serves, when its host keeps buckets elsewhere (`sluice cloud`: the account's,
   * configured by CloudFormation). @default one on the app's SQLite file, holding the definition's buckets
   */
  readonly s3?: S3Store;
  /**
   * The endpoint serving this cloud (AWS_ENDPOINT_URL), once known: state machines' queue URLs
   * point at it. @default AWS's own queue URL form, which the local SQS reads the same way
   * @example endpointUrl: () => server.url
   */
  readonly endpointUrl?: () => string | undefined;
  readonly onEvent?: (event: CloudEvent) => void;
}

export const STATE_FILE = "state.sqlite";

/**
 * How often, on the cloud's clock, TTL deletes expired items and streams drop records older than
 * their 24 hours. AWS does both in the background: TTL "typically within two days" of an item's
 * expiry (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html).
 * Locally an expired item is gone at most a minute of the clock after its expiry, so a test or
 * `sluice time advance` sees it deleted without waiting days (docs/fidelity.md).
 */
export const TABLE_SWEEP_INTERVAL_MS = 60_000;

/**
 * The whole local cloud for one app: its SQLite file, the SQS and Lambda surfaces, the async
 * invoke queue, the event source mappings, and the router that joins results to the next
 * components. Surfaces only meet here, through their interfaces.
 */
export class LocalCloud {
  readonly db: Db;
  /**
   * Every hop of every trace (issue 20): invocations, messages, events, requests, on the app's
   * SQLite file. The services record into it; the CLI, the console and the test kit read it.
   */
  readonly traces: TraceStore;
  readonly sqs: QueueService;
  readonly lambda: LocalLambdaService;
  readonly asyncInvoke: AsyncInvokeQueue;
  readonly router: Router;
  /** EventBridge: PutEvents, rules and their targets. */
  readonly events: EventBusService;
  readonly scheduler: LocalScheduler;
  /** DynamoDB: the definition's tables and those made through the API, on the app's SQLite file. */
  readonly dynamodb: DynamoDbService;
  /** DynamoDB Streams: every streamed table's records, written in the same transaction as the change. */
  readonly tableStreams: TableStreams;
  /** The DynamoDB Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords). */
  readonly dynamodbStreams: StreamsApi;
  /** S3: the definition's buckets (and any made through the API), on the app's SQLite file. */
  readonly s3: S3Store;
  /**
   * The S3 event notifications of this cloud's own S3 (absent when `options.s3` is another's:
   * `sluice cloud` delivers the account's notifications itself, through `s3NotificationTargets`).
   */
  readonly s3Notifications: S3Notifications | undefined;
  /**
   * The state folder's CA, which every function trusts, for an app with a WebSocket API: its
   * server answers https with a certificate the CA signs (ApiBackend.certificateAuthority).
   */
  readonly certificateAuthority: LocalCa | undefined;
  /**
   * Step Functions: the definition's state machines (names resolved to this cloud's ARNs, URLs and
   * names) and their executions, durable in the app's SQLite file, on the cloud's clock.
   */
  readonly stepFunctions: StepFunctionsEngine;
  private machines:
    | { readonly endpointUrl: string | undefined; readonly list: readonly LocalStateMachine[] }
    | undefined;
  private readonly pollers: SqsPoller[] = [];
  private readonly streamPollers: StreamPoller[] = [];
  private readonly stopLogs: () => void;
  private tableSweep: Timer | undefined;

  constructor(private readonly options: LocalCloudOptions) {
    const { spec, clock } = options;
    // The cloud is the file's only user while it runs, so an exclusive lock spares every commit
    // SQLite's lock calls; the CLI reaches a running dev through its control API, not the file
    // (cli/connect.ts).
    this.db = openStore(join(options.stateDir, STATE_FILE), { exclusive: true });
    // A throw below leaves no cloud to close: the file (and its exclusive lock) is let go here,
    // or the next open of this folder (RegionRuntime.rebuild reopens the previous app at once)
    // fails with "database is locked".
    try {
      dropStateTraces(this.db);
      this.traces = new TraceStore({ file: join(options.stateDir, TRACES_FILE), clock });
      this.certificateAuthority =
        (options.trustLocalCa ?? spec.websocket !== undefined)
          ? localCa(options.caDir ?? options.stateDir)
          : undefined;
      this.sqs = createQueueService({
        db: this.db,
        clock,
        region: spec.region,
        accountId: spec.accountId,
        tracer: this.traces,
      });
      this.sqs.ensureQueues(Object.values(spec.queues));
      this.tableStreams = new TableStreams({ db: this.db, clock, region: spec.region });
      this.dynamodb = new DynamoDbService({
        db: this.db,
        clock,
        region: spec.region,
        accountId: spec.accountId,
        streams: this.tableStreams,
      });
      this.dynamodb.ensureTables(Object.values(spec.tables ?? {}));
      this.s3 = options.s3 ?? new S3Store(this.db, clock);
      const keptBuckets = options.s3 ? [] : ensureBuckets(this.s3, spec);
      for (const kept of keptBuckets) options.onEvent?.({ type: "bucket-kept", ...kept });
      this.dynamodbStreams = new StreamsApi({
        streams: this.tableStreams,
        directory: () => this.dynamodb.streams(),
        clock,
      });
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
        ...(options.variables ? { variables: options.variables } : {}),
        ...(this.certificateAuthority ? { trustedCa: this.certificateAuthority.certPem } : {}),
        tracer: this.traces,
      });
      this.stopLogs = this.lambda.onLog((line) => {
        this.traces.log(line);
        options.onEvent?.({ type: "log", line });
      });
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
          putEvents: (entries, context) => this.events.putEvents(entries, context),
        },
        region: spec.region,
        accountId: spec.accountId,
        onResult: (name, result) => this.route(name, result),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        tracer: this.traces,
      });
      this.events = new EventBusService({
        db: this.db,
        clock,
        spec,
        invokeAsync: (name, payload, traceHeader, source) =>
          this.asyncInvoke.enqueue(name, payload, traceHeader, source),
        sqs: this.sqs,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        tracer: this.traces,
      });
      this.stepFunctions = new StepFunctionsEngine({
        db: this.db,
        clock,
        region: spec.region,
        accountId: spec.accountId,
        machines: () => this.stateMachines(),
        tasks: localTaskPort(this),
      });
      this.router = new Router(spec, this.sqs, this.asyncInvoke, this.events, this.stepFunctions);
      // Object events are recorded inside each S3 write's transaction and delivered after it commits.
      this.s3Notifications = options.s3
        ? undefined
        : new S3Notifications({
            db: this.db,
            clock,
            bucket: (name) => this.s3.bucket(name),
            targets: this.s3NotificationTargets(),
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          });
      if (this.s3Notifications) this.s3.setChangeSink(this.s3Notifications.sink);
      this.scheduler = new LocalScheduler({
        db: this.db,
        clock,
        schedules: Object.values(spec.schedules ?? {}),
        region: spec.region,
        accountId: spec.accountId,
        deliver: (delivery) =>
          deliverScheduled(
            {
              invokeAsync: (name, payload, traceHeader, source) =>
                this.invokeAsync(name, payload, traceHeader, source),
              sqs: this.sqs,
              physicalBusName: (bus) => specBusName(spec, bus),
              putEvents: (bus, entry, source) =>
                this.events.putEvents([{ ...entry, EventBusName: bus }], { source }),
            },
            delivery,
          ),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        tracer: this.traces,
      });
    } catch (error) {
      this.db.close();
      throw error;
    }
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
      // A fleet with role "primary" consumes this function's queue: Lambda's mapping stands by.
      if (!fn.consumes || mappingStandsBy(spec, fn.name)) continue;
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
    for (const fn of Object.values(spec.functions)) {
      if (fn.consumesTable) this.startStreamPoller(fn);
    }
    this.asyncInvoke.start();
    this.events.start();
    this.s3Notifications?.start();
    this.scheduler.start();
    // Executions that were running when the cloud last closed (or was killed) carry on.
    this.stepFunctions.start();
    try {
      this.sweepTables();
    } catch (error) {
      // Reported as a later sweep's throw is, by the clock's caller (it is re-armed already); a
      // failed first sweep must not abort start() and leave the pollers above running unowned.
      clock.at(clock.now(), () => {
        throw error;
      });
    }
    // Functions become Active (or Failed) as their code loads, before anything invokes them.
    this.activated = this.lambda.activate();
  }

  /**
   * Each stream consumer's iterator age (CloudWatch's IteratorAge) after its last batch, ms, by
   * function name: the console's counters.
   */
  streamIteratorAges(): ReadonlyMap<string, number> {
    return new Map(this.streamPollers.map((poller) => [poller.functionName, poller.iteratorAgeMs]));
  }

  /**
   * Units of work that will progress without the clock moving: invocations running, messages a
   * running mapping receives now and the batches it carries, stream records unread by a running
   * mapping, asynchronous events just accepted and attempts running, event deliveries and S3
   * notifications due now, and Step Functions states running. Zero means the cloud is idle until
   * the clock moves: a test kit polls it each macrotask turn to settle (ManualClock's `settle`).
   * What waits on the clock is never counted (a message hidden for its visibility timeout, a retry
   * due later, a poller in back-off, a batching window, a Wait state), nor what waits on someone
   * else (a task token), so settling cannot spin on work only the clock can move. Each part is an
   * in-memory counter or an indexed count.
   */
  pendingWork(): number {
    let pending = this.lambda.runningInvocations() + this.asyncInvoke.pendingWork();
    for (const poller of this.pollers) pending += poller.pendingWork();
    for (const poller of this.streamPollers) pending += poller.pendingWork();
    pending += this.events.pendingWork() + (this.s3Notifications?.pendingWork() ?? 0);
    return pending + this.stepFunctions.pendingWork();
  }

  /** A synchronous invoke whose routing is delivered before it returns, as the wrapper does on AWS. */
  async invoke(
    functionName: string,
    payload: string,
    options: {
      tailLog?: boolean;
      clientContext?: string;
      serialized?: boolean;
      /** The caller's trace header, which the invocation continues (a Task's execution's). */
      traceHeader?: string;
      /** What caused it, for its trace hop. @default "client" */
      source?: string;
    } = {},
  ): Promise<InvokeResult> {
    // One literal, optional keys assigned after: spreads of `{}` made it a dictionary object, slow
    // to build and to read for every HTTP request (issue 14).
    const input: Mutable<InvokeInput> = { payload };
    if (options.traceHeader !== undefined) input.traceHeader = options.traceHeader;
    if (options.source !== undefined) input.source = options.source;
    if (options.tailLog) input.tailLog = true;
    if (options.clientContext !== undefined) input.clientContext = options.clientContext;
    if (options.serialized) input.serialized = true;
    const result = await this.lambda.invoke(functionName, input);
    this.route(functionName, result);
    return result;
  }

  /**
   * An asynchronous invoke: accepted durably, run by the async queue, continuing `traceHeader`'s
   * trace (else starting one), caused by `source` (@default "client").
   */
  invokeAsync(
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: string,
  ): { requestId: string } {
    if (!this.options.spec.functions[functionName]) throw this.unknownFunction(functionName);
    return this.asyncInvoke.enqueue(functionName, payload, traceHeader, source);
  }

  close(): Promise<void> {
    return holdingProcessOpen(async () => {
      this.tableSweep?.cancel();
      this.stepFunctions.close();
      this.scheduler.close();
      await Promise.all([...this.pollers, ...this.streamPollers].map((p) => p.stop()));
      this.s3Notifications?.close();
      this.asyncInvoke.close();
      this.events.close();
      this.stopLogs();
      await this.lambda.close();
      this.sqs.close();
      this.dynamodb.close();
      // Hops and log lines still queued are written before the file closes.
      this.traces.close();
      this.db.close();
    });
  }

  /**
   * A stream event source mapping on the table's current stream. A table without an enabled
   * stream has nothing to read (validation requires one; an UpdateTable may have turned it off).
   */
  private startStreamPoller(fn: FunctionSpec): void {
    const { spec, clock } = this.options;
    const table = fn.consumesTable?.table;
    if (table === undefined) return;
    const tableName = spec.tables?.[table]?.tableName ?? physicalTableName(resourcePrefix(spec), table);
    const stream = this.dynamodb.streams().find((s) => s.tableName === tableName && s.status === "ENABLED");
    if (!stream) return;
    const poller = new StreamPoller({
      fn,
      functionArn: functionArn(spec, fn),
      streamArn: stream.streamArn,
      streams: this.tableStreams,
      db: this.db,
      lambda: this.lambda,
      clock,
      sqs: this.sqs,
      onResult: (result) => this.route(fn.name, result),
      ...(this.options.onEvent ? { onEvent: this.options.onEvent } : {}),
    });
    poller.start();
    this.streamPollers.push(poller);
  }

  /**
   * TTL deletions, stream retention and, for this cloud's own S3 (another's host sweeps its own),
   * lifecycle expiration: now and every TABLE_SWEEP_INTERVAL_MS of the clock after.
   */
  private sweepTables(): void {
    const { clock } = this.options;
    // Armed first: a sweep that throws (a bug, reported by the clock's caller) still runs again.
    this.tableSweep = clock.at(clock.now() + TABLE_SWEEP_INTERVAL_MS, () => this.sweepTables());
    this.dynamodb.expireItems();
    this.tableStreams.trim();
    if (!this.options.s3) this.s3.expire();
  }

  /** The spec's state machines as the engine runs them, resolved again only when the endpoint changes. */
  private stateMachines(): readonly LocalStateMachine[] {
    const endpointUrl = this.options.endpointUrl?.();
    if (this.machines?.endpointUrl !== endpointUrl || this.machines === undefined) {
      this.machines = { endpointUrl, list: localStateMachines(this.options.spec, endpointUrl) };
    }
    return this.machines.list;
  }

  /**
   * Where S3 notifications naming this cloud's functions and queues, and its default bus, are
   * delivered: asynchronous invocations, SendMessage and the bus's service events.
   */
  s3NotificationTargets(): NotificationTargets {
    return s3NotificationTargets({
      spec: this.options.spec,
      asyncInvoke: this.asyncInvoke,
      sqs: this.sqs,
      events: () => this.events,
    });
  }

  private route(functionName: string, result: InvokeResult): void {
    if (result.deliveries.length === 0) return;
    this.router.deliver(result.deliveries, {
      from: functionName,
      requestId: result.requestId,
      traceHeader: result.traceHeader,
    });
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
