/**
 * Turns a definition into the normalised, frozen AppSpec that `local` and `aws` read. Everything
 * is validated first; any problem throws one ConfigError that lists them all.
 */
import type { AppSpec, BucketSpec, FunctionSpec, QueueSpec, TableSpec } from "./app-spec.ts";
import { ConfigError } from "./config-error.ts";
import { LIMITS } from "./limits.ts";
import {
  generatedDeadLetterName,
  physicalBucketName,
  physicalFunctionName,
  physicalQueueName,
  physicalTableName,
  stagedName,
} from "./naming.ts";
import type { StateMachineSpec } from "./state-machines.ts";
import { type ValidateOptions, validateApp } from "./validate/app.ts";
import { buildAsync } from "./validate/async.ts";
import type { FunctionDraft, QueueDraft } from "./validate/draft.ts";
import { readEvents } from "./validate/events.ts";
import { checkFailover } from "./validate/failover-rules.ts";
import { checkFleetIds } from "./validate/fleet-ids.ts";
import { readHttpApi } from "./validate/http-api.ts";
import { readScheduling } from "./validate/scheduling.ts";
import { checkServerRoles } from "./validate/server-roles.ts";
import { readServers } from "./validate/servers.ts";
import { Issues, isRecord } from "./validate/values.ts";
import { readWebSocketApi } from "./validate/websocket-api.ts";

export type NormaliseOptions = ValidateOptions;

export function normaliseApp(definition: unknown, options: NormaliseOptions = {}): AppSpec {
  const issues = new Issues();
  const draft = validateApp(issues, definition, options);
  const fields = isRecord(definition) ? definition : {};
  // Physical names start with the app's name, qualified by the stage when deploying to one.
  const prefix = draft.name === undefined ? undefined : stagedName(draft.name, options.stage);
  const http = readHttpApi(issues, fields);
  const websocket = readWebSocketApi(issues, fields);
  const events = readEvents(issues, fields, {
    app: prefix,
    queues: draft.queues,
    functions: draft.functions,
  });
  const scheduling = readScheduling(issues, fields, { ...draft, name: prefix });
  const servers = readServers(issues, fields.servers, new Set(draft.functions.keys()));
  checkFleetIds(issues, servers.keys(), fields);
  checkFailover(issues, {
    definition: fields,
    regions: draft.regions,
    domain: draft.domain,
    health: http.health,
    api: http.api,
    tables: draft.tables,
  });
  checkServerRoles(issues, { definition: fields, servers, domain: draft.domain, api: http.api });
  if (issues.list.length > 0) throw new ConfigError(issues.list);
  const app = must(prefix);
  const queues: Record<string, QueueSpec> = {};
  for (const queue of draft.queues.values()) {
    queues[queue.name] = buildQueue(app, queue);
    if (queue.deadLetter !== undefined && queue.deadLetter.queueGiven === undefined) {
      const dlq = buildGeneratedDeadLetter(app, queue);
      queues[dlq.name] = dlq;
    }
  }
  const tables: Record<string, TableSpec> = {};
  for (const table of draft.tables.values()) {
    tables[table.name] = { ...must(table.spec), tableName: physicalTableName(app, table.name) };
  }
  const buckets: Record<string, BucketSpec> = {};
  const naming = {
    name: must(draft.name),
    region: must(draft.region),
    accountId: must(draft.accountId),
    ...(options.stage === undefined ? {} : { stage: options.stage }),
  };
  for (const bucket of draft.buckets?.values() ?? []) {
    buckets[bucket.name] = { ...must(bucket.spec), bucketName: physicalBucketName(naming, bucket.name) };
  }
  const stateMachines: Record<string, StateMachineSpec> = Object.fromEntries(draft.stateMachines ?? []);
  const functions: Record<string, FunctionSpec> = {};
  for (const fn of draft.functions.values()) {
    const health = http.health.get(fn.name);
    const provisionedConcurrency = scheduling.provisioned.get(fn.name);
    functions[fn.name] = {
      ...buildFunction(app, fn),
      ...(health === undefined ? {} : { health }),
      ...(provisionedConcurrency === undefined ? {} : { provisionedConcurrency }),
    };
  }
  return deepFreeze({
    name: must(draft.name),
    ...(options.stage === undefined ? {} : { stage: options.stage }),
    region: must(draft.region),
    accountId: must(draft.accountId),
    functions,
    queues,
    ...(http.api === undefined ? {} : { http: http.api }),
    ...(websocket === undefined ? {} : { websocket }),
    ...(events === undefined ? {} : { events }),
    ...(scheduling.schedules === undefined ? {} : { schedules: scheduling.schedules }),
    ...(draft.tables.size === 0 ? {} : { tables }),
    ...(Object.keys(buckets).length === 0 ? {} : { buckets }),
    ...(Object.keys(stateMachines).length === 0 ? {} : { stateMachines }),
    ...(draft.regions === undefined ? {} : { regions: draft.regions }),
    ...(draft.domain === undefined ? {} : { domain: draft.domain }),
    ...(servers.size === 0 ? {} : { servers: Object.fromEntries(servers) }),
  });
}

function buildQueue(app: string, queue: QueueDraft): QueueSpec {
  const fifo = must(queue.fifo);
  const spec: QueueSpec = {
    name: queue.name,
    queueName: physicalQueueName(app, queue.name, fifo),
    fifo,
    visibilityTimeoutSeconds: must(queue.visibilityTimeoutSeconds),
    delaySeconds: must(queue.delaySeconds),
    retentionSeconds: must(queue.retentionSeconds),
    maxMessageSize: must(queue.maxMessageSize),
    receiveWaitTimeSeconds: must(queue.receiveWaitTimeSeconds),
    contentBasedDeduplication: must(queue.contentBasedDeduplication),
    generated: false,
  };
  if (queue.deadLetter === undefined) return spec;
  const deadLetter = {
    queue: queue.deadLetter.queue ?? generatedDeadLetterName(queue.name),
    maxReceiveCount: must(queue.deadLetter.maxReceiveCount),
  };
  return { ...spec, deadLetter };
}

/** A dead-letter queue for `source` with SQS's defaults, keeping messages as long as SQS allows. */
function buildGeneratedDeadLetter(app: string, source: QueueDraft): QueueSpec {
  const name = generatedDeadLetterName(source.name);
  const fifo = must(source.fifo);
  return {
    name,
    queueName: physicalQueueName(app, name, fifo),
    fifo,
    visibilityTimeoutSeconds: LIMITS.sqs.visibilityTimeout.default,
    delaySeconds: LIMITS.sqs.delaySeconds.default,
    retentionSeconds: LIMITS.sqs.deadLetterRetention.default,
    maxMessageSize: LIMITS.sqs.maximumMessageSize.default,
    receiveWaitTimeSeconds: LIMITS.sqs.receiveMessageWaitTime.default,
    contentBasedDeduplication: false,
    generated: true,
  };
}

function buildFunction(app: string, fn: FunctionDraft): FunctionSpec {
  const spec: FunctionSpec = {
    name: fn.name,
    functionName: physicalFunctionName(app, fn.name),
    handler: must(fn.handler),
    runtime: must(fn.runtime),
    memorySize: must(fn.memorySize),
    timeoutSeconds: must(fn.timeoutSeconds),
    environment: fn.environment,
    routes: must(fn.routes),
  };
  const optional: { -readonly [K in keyof FunctionSpec]?: FunctionSpec[K] } = {};
  if (fn.reservedConcurrency !== undefined) optional.reservedConcurrency = fn.reservedConcurrency;
  if (fn.description !== undefined) optional.description = fn.description;
  if (fn.permissions !== undefined && fn.permissions.length > 0) optional.permissions = fn.permissions;
  if (fn.async !== undefined) optional.async = buildAsync(fn.async);
  if (fn.consumes !== undefined) {
    const consumes = fn.consumes;
    optional.consumes = {
      queue: must(consumes.queue),
      batchSize: must(consumes.batchSize),
      maximumBatchingWindowSeconds: must(consumes.maximumBatchingWindowSeconds),
      reportBatchItemFailures: must(consumes.reportBatchItemFailures),
      ...(consumes.maxConcurrency === undefined ? {} : { maxConcurrency: consumes.maxConcurrency }),
      ...(consumes.filters === undefined ? {} : { filters: consumes.filters }),
    };
  }
  if (fn.consumesTable !== undefined) optional.consumesTable = must(fn.consumesTable.spec);
  return { ...spec, ...optional };
}

/** Validation leaves a field undefined only after recording an issue, so here it is a bug. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("normaliseApp: a value validation accepted is missing");
  return value;
}

/** Freezes `value` and everything in it (the spec is frozen data: every reader may share it). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
