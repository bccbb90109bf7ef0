/**
 * The trace hops of SQS (issue 20): a `send` hop for every accepted message and a `dead-letter`
 * hop when maxReceiveCount moves one. Each message keeps a trace header of its own (the column
 * `trace_header`): the header of its latest hop, so the invocation that receives it continues the
 * trace from there. A message sent without a header starts a new trace locally; receivers over the
 * wire still see AWSTraceHeader only when the sender gave one, as on AWS.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
 */
import { childHeader, newTraceHeader, type Tracer } from "../traces/index.ts";
import type { QueueRecord } from "./queue-registry.ts";
import type { MessageRow } from "./schema.ts";

/** One message the current send stored, recorded once its transaction has committed. */
export interface SentHop {
  readonly messageId: string;
  readonly body: string;
  /** The send hop's header: what the message keeps. */
  readonly header: string;
  /** The sender's header, when it gave one. */
  readonly parentHeader: string | undefined;
}

/** The header a new message keeps: a child of the sender's, or of a new trace. */
export function sentHop(messageId: string, body: string, given: string | null, now: number): SentHop {
  // Without a sender's header the message starts a trace: a new header is the send hop's own.
  if (given === null) return { messageId, body, header: newTraceHeader(now), parentHeader: undefined };
  return { messageId, body, header: childHeader(given, now), parentHeader: given };
}

/** A message moved to its dead-letter queue: the header it keeps there, the hop's. */
export interface DeadLetterHop {
  readonly row: MessageRow;
  readonly header: string;
  readonly deadLetterQueue: QueueRecord;
}

export function deadLetterHop(row: MessageRow, deadLetterQueue: QueueRecord, now: number): DeadLetterHop {
  const header = row.trace_header === null ? newTraceHeader(now) : childHeader(row.trace_header, now);
  return { row, header, deadLetterQueue };
}

/** `queue:<name in the definition>`; a queue made through the API keeps its physical name. */
export function queueRef(q: QueueRecord): string {
  return `queue:${q.spec.name}`;
}

export function recordSends(
  tracer: Tracer,
  q: QueueRecord,
  source: string | undefined,
  hops: readonly SentHop[],
  now: number,
): void {
  const target = queueRef(q);
  for (const hop of hops) {
    tracer.record({
      header: hop.header,
      ...(hop.parentHeader === undefined ? {} : { parentHeader: hop.parentHeader }),
      kind: "send",
      source: source ?? "client",
      target,
      startMs: now,
      durationMs: 0,
      outcome: "success",
      payload: hop.body,
      requestId: hop.messageId,
    });
  }
}

export function recordDeadLetters(
  tracer: Tracer,
  q: QueueRecord,
  maxReceiveCount: number,
  hops: readonly DeadLetterHop[],
  now: number,
): void {
  const source = queueRef(q);
  for (const { row, header, deadLetterQueue } of hops) {
    tracer.record({
      header,
      ...(row.trace_header === null ? {} : { parentHeader: row.trace_header }),
      kind: "dead-letter",
      source,
      target: queueRef(deadLetterQueue),
      startMs: now,
      durationMs: 0,
      outcome: "error",
      attempt: row.receive_count,
      payload: row.body,
      detail: `received ${row.receive_count} times (maxReceiveCount ${maxReceiveCount}): moved to ${deadLetterQueue.spec.queueName}`,
      requestId: row.message_id,
    });
  }
}
