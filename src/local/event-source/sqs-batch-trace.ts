import type { ReceivedMessage } from "../sqs/index.ts";
import { traceRootOf } from "../traces/index.ts";

/** The trace an SQS batch's invocation runs under, and the other traces it belongs to. */
export interface SqsBatchTrace {
  /** The first message's trace header: the invocation continues its trace. */
  readonly traceHeader?: string;
  /** One header per other trace the batch's messages came from (the first message's trace excluded). */
  readonly linkedHeaders: readonly string[];
  /** The highest ApproximateReceiveCount of the batch: 2 and up means a redelivery. */
  readonly attempt: number;
}

/**
 * Lambda's SQS mapping continues the trace of the messages it delivers: traces from the
 * producers are linked to the consumer's invocation, one batch linking to several traces
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-tracelinking.html). Locally the
 * invocation runs under the first message's header and is recorded in the other messages'
 * traces too. A message's header is the one the engine keeps for it (the sender's, or a trace of
 * its own), else its AWSTraceHeader.
 */
export function sqsBatchTrace(batch: readonly ReceivedMessage[]): SqsBatchTrace {
  let traceHeader: string | undefined;
  const roots = new Set<string>();
  const linkedHeaders: string[] = [];
  let attempt = 1;
  for (const message of batch) {
    const count = Number.parseInt(message.attributes.ApproximateReceiveCount ?? "1", 10);
    if (count > attempt) attempt = count;
    const header = message.traceHeader ?? message.attributes.AWSTraceHeader;
    if (header === undefined) continue;
    const root = traceRootOf(header) ?? header;
    if (roots.has(root)) continue;
    roots.add(root);
    if (traceHeader === undefined) traceHeader = header;
    else linkedHeaders.push(header);
  }
  return { ...(traceHeader === undefined ? {} : { traceHeader }), linkedHeaders, attempt };
}
