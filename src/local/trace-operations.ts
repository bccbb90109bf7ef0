/**
 * What the CLI and the console do with traces and resources (issue 20): list and show traces,
 * the graph's counters, and the console's actions (purge, put an event, replay a hop, trigger a
 * schedule), over one local cloud. `operations.ts` serves them as part of `Operations`.
 */
import { randomUUID } from "node:crypto";
import { AwsError, SluiceError } from "../model/errors.ts";
import { specBusName } from "../model/events.ts";
import type { LocalCloud } from "./local-cloud.ts";
import {
  newTraceHeader,
  type ResourceCounters,
  type TraceHop,
  type TraceTimeline,
  traceRootOf,
} from "./traces/index.ts";

/**
 * A replayed FIFO message's group: the hop keeps the body only, not the group it was sent in. Its
 * deduplication id is new, so SQS's 5-minute deduplication never swallows a replay
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
 */
const REPLAY_MESSAGE_GROUP = "sluice-replay";

/** One trace, or SLUICE_TRACE_NOT_FOUND (404) when the store has none by that id. */
export function traceOf(cloud: LocalCloud, traceId: string): TraceTimeline {
  const timeline = cloud.traces.timeline(traceId);
  if (timeline === undefined || timeline.hops.length === 0) throw traceNotFound(traceId);
  return { ...timeline, hops: causalOrder(timeline.hops) };
}

/**
 * Hops in time order, and of those starting in the same millisecond, a cause before what it
 * caused: an API request's hop is recorded after its invocation answered (so its seq is later)
 * but started with it.
 */
function causalOrder(hops: readonly TraceHop[]): TraceHop[] {
  const byId = new Map<string, TraceHop>();
  for (const hop of hops) if (!byId.has(hop.hopId)) byId.set(hop.hopId, hop);
  const depth = (hop: TraceHop): number => {
    let n = 0;
    const seen = new Set<TraceHop>([hop]);
    for (let at = hop; ; n++) {
      const parent = at.parentId === undefined ? undefined : byId.get(at.parentId);
      if (parent === undefined || seen.has(parent)) return n;
      seen.add(parent);
      at = parent;
    }
  };
  const depths = new Map(hops.map((hop) => [hop, depth(hop)]));
  return [...hops].sort(
    (a, b) => a.startMs - b.startMs || (depths.get(a) ?? 0) - (depths.get(b) ?? 0) || a.seq - b.seq,
  );
}

/**
 * Every function (invocations and errors, and a stream consumer's iterator age) and every queue
 * (visible, in flight, delayed, its DLQ's visible messages): the console's graph overlay.
 */
export function countersOf(cloud: LocalCloud): ResourceCounters[] {
  const counts = cloud.traces.invocationCounts();
  const ages = cloud.streamIteratorAges();
  const functions = Object.values(cloud.spec.functions).map((fn): ResourceCounters => {
    const count = counts.get(fn.name) ?? counts.get(fn.functionName);
    const age = ages.get(fn.name);
    return {
      resource: `function:${fn.name}`,
      invocations: count?.invocations ?? 0,
      errors: count?.errors ?? 0,
      ...(age === undefined ? {} : { iteratorAgeMs: age }),
    };
  });
  const queues = cloud.sqs.listQueues().map((queue): ResourceCounters => {
    const stats = cloud.sqs.stats(queue.name);
    return {
      resource: `queue:${stats.name}`,
      depth: stats.visible,
      inFlight: stats.inFlight,
      delayed: stats.delayed,
      ...(stats.deadLetterDepth === undefined ? {} : { dlqDepth: stats.deadLetterDepth }),
    };
  });
  return [...functions, ...queues];
}

/**
 * PurgeQueue (with its once-a-minute rule), answering how many messages it deleted: the queue's
 * visible, in-flight and delayed messages, all of which AWS's PurgeQueue deletes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html).
 */
export function purgeOf(cloud: LocalCloud, queue: string): { purged: number } {
  const stats = cloud.sqs.stats(queue);
  cloud.sqs.purgeQueue(queue);
  return { purged: stats.visible + stats.inFlight + stats.delayed };
}

/**
 * PutEvents of one event on a bus the definition names (`default` included), as a new trace: the
 * entry's `TraceHeader` is how a PutEvents caller passes its trace on to the targets
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-xray-integ.html,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html). An
 * entry EventBridge refuses (a detail that is not a JSON object, …) is refused here with its message.
 */
export function putEventOf(
  cloud: LocalCloud,
  request: { bus: string; source: string; detailType: string; detail: string },
  traceHeader = newTraceHeader(cloud.clock.now()),
): { eventId: string; traceId: string } {
  const result = cloud.events.putEvents([
    {
      EventBusName: specBusName(cloud.spec, request.bus),
      Source: request.source,
      DetailType: request.detailType,
      Detail: request.detail,
      TraceHeader: traceHeader,
    },
  ]);
  const entry = result.Entries[0];
  if (entry === undefined || !("EventId" in entry)) {
    const failed = entry as { ErrorCode: string; ErrorMessage: string } | undefined;
    throw new AwsError(
      failed?.ErrorCode ?? "InternalFailure",
      failed?.ErrorMessage ?? "PutEvents failed",
      400,
    );
  }
  return { eventId: entry.EventId, traceId: traceRootOf(traceHeader) ?? "" };
}

/**
 * Sends a recorded hop's payload again where it went, as a new trace begun by `client`: an invoke
 * asynchronously to its function, a message to its queue (a FIFO queue's with a new deduplication
 * id, in REPLAY_MESSAGE_GROUP), an event to its bus with its source, detail-type and detail.
 */
export function replayOf(cloud: LocalCloud, traceId: string, hopId: string): { traceId: string } {
  const hop = cloud.traces.hop(traceId, hopId);
  if (hop === undefined) throw traceNotFound(traceId, hopId);
  if (hop.truncated) {
    throw new SluiceError(
      "SLUICE_TRACE_TRUNCATED",
      `hop ${hopId} of trace ${traceId} kept only part of its payload, so it cannot be replayed; send it again with sluice send, invoke or the console`,
      { context: { traceId, hopId } },
    );
  }
  const header = newTraceHeader(cloud.clock.now());
  const newTraceId = traceRootOf(header) ?? "";
  const [kind, name] = splitRef(hop.target);
  if (hop.kind === "invoke" && kind === "function") {
    if (!cloud.spec.functions[name]) throw notReplayable(hop, `the app has no function ${name} now`);
    cloud.asyncInvoke.enqueue(name, hop.payload, header, "client");
  } else if (hop.kind === "send" && kind === "queue") {
    const fifo = cloud.sqs.stats(name).fifo;
    cloud.sqs.sendMessage(name, {
      body: hop.payload,
      ...(fifo ? { messageGroupId: REPLAY_MESSAGE_GROUP, messageDeduplicationId: randomUUID() } : {}),
      traceHeader: header,
      source: "client",
    });
  } else if (hop.kind === "put" && kind === "bus") {
    const event = eventOf(hop);
    putEventOf(cloud, { bus: name, ...event }, header);
  } else {
    throw notReplayable(hop, "only an invoke, a send or a put is sent again");
  }
  return { traceId: newTraceId };
}

/** The source, detail-type and detail of an event a `put` hop recorded (its JSON envelope). */
function eventOf(hop: TraceHop): { source: string; detailType: string; detail: string } {
  let event: unknown;
  try {
    event = JSON.parse(hop.payload);
  } catch {
    throw notReplayable(hop, "its payload is not an event's JSON");
  }
  const fields = (event ?? {}) as Record<string, unknown>;
  const source = fields.source;
  const detailType = fields["detail-type"];
  if (typeof source !== "string" || typeof detailType !== "string" || fields.detail === undefined)
    throw notReplayable(hop, "its payload has no source, detail-type and detail");
  return { source, detailType, detail: JSON.stringify(fields.detail) };
}

/** `function:publish` → ["function", "publish"]; `api:GET /pages` keeps its space. */
function splitRef(ref: string): [string, string] {
  const colon = ref.indexOf(":");
  return colon < 0 ? [ref, ""] : [ref.slice(0, colon), ref.slice(colon + 1)];
}

function notReplayable(hop: TraceHop, why: string): SluiceError {
  return new SluiceError(
    "SLUICE_TRACE_NOT_REPLAYABLE",
    `hop ${hop.hopId} (${hop.kind} ${hop.source} → ${hop.target}) cannot be replayed: ${why}`,
    { context: { traceId: hop.traceId, hopId: hop.hopId } },
  );
}

/** 404, so the control API answers as for any unknown resource; the CLI prints the message. */
function traceNotFound(traceId: string, hopId?: string): AwsError {
  const what = hopId === undefined ? `trace ${traceId}` : `hop ${hopId} of trace ${traceId}`;
  return new AwsError(
    "SLUICE_TRACE_NOT_FOUND",
    `no ${what} is recorded (sluice traces lists the recent ones; the oldest are pruned past the store's cap)`,
    404,
    { traceId, ...(hopId === undefined ? {} : { hopId }) },
  );
}

/**
 * Fires a schedule now, as at its next time, without moving its next times (the scheduler's
 * `trigger`); SLUICE_SCHEDULE_NOT_FOUND (404) for a name the definition does not have.
 */
export function triggerScheduleOf(cloud: LocalCloud, schedule: string): { traceId: string } {
  if (!Object.hasOwn(cloud.spec.schedules ?? {}, schedule)) {
    const names = Object.keys(cloud.spec.schedules ?? {});
    throw new AwsError(
      "SLUICE_SCHEDULE_NOT_FOUND",
      `the app has no schedule ${JSON.stringify(schedule.slice(0, 80))}; it has ${names.length ? names.join(", ") : "none"}`,
      404,
      { schedule },
    );
  }
  return cloud.scheduler.trigger(schedule);
}
