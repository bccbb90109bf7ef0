/**
 * The X-Ray trace header (`X-Amzn-Trace-Id`) every hop of a trace carries: Lambda gives one to each
 * invocation (`_X_AMZN_TRACE_ID` inside the function, which the AWS SDK sends as `X-Amzn-Trace-Id`
 * on every call it makes from there), SQS keeps it as a message's `AWSTraceHeader`, EventBridge as
 * an event's `TraceHeader`. Its `Root` names the trace, its `Parent` the segment that passed it on.
 * Format: `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0`, and for Lambda's recursive loop
 * detection a `Lineage=<8 hex>:<count>|…` field counting how often each function ran in the chain
 * (Lineage's first published form): how Lambda sees S3 → Lambda → S3 (and SQS, SNS) loops.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html (Lambda-Runtime-Trace-Id → _X_AMZN_TRACE_ID)
 */
import { createHash, randomFillSync } from "node:crypto";

export interface Trace {
  /** The header this invocation runs with. */
  readonly header: string;
  /** How many times this function has run in the chain, this invocation included. */
  readonly count: number;
}

const lineageHashes = new Map<string, string>();

/** The 8 hex characters that stand for a function in Lineage. */
function lineageHash(functionArn: string): string {
  let hash = lineageHashes.get(functionArn);
  if (hash === undefined) {
    hash = createHash("sha256").update(functionArn).digest("hex").slice(0, 8);
    lineageHashes.set(functionArn, hash);
  }
  return hash;
}

/**
 * The header of an invocation of `functionArn` caused by a request that carried `incoming` (the
 * caller's trace header, when it had one): the same Root, a new Parent, and the function's
 * Lineage count one higher. Without one, a new trace begins.
 */
export function continueTrace(incoming: string | undefined, functionArn: string, nowMs: number): Trace {
  const hash = lineageHash(functionArn);
  let count = 1;
  let lineage = "";
  const root = incoming === undefined ? undefined : ROOT.exec(incoming)?.[1];
  const found = incoming === undefined ? undefined : LINEAGE.exec(incoming)?.[1];
  if (found) {
    for (const entry of found.split("|")) {
      const colon = entry.indexOf(":");
      if (entry.slice(0, colon) === hash) count = Number.parseInt(entry.slice(colon + 1), 10) + 1 || 1;
      else lineage += `${entry}|`;
    }
  }
  const header =
    `Root=${root ?? newTraceRoot(nowMs)};Parent=${randomHex(8)};Sampled=0;` +
    `Lineage=${lineage}${hash}:${count}`;
  return { header, count };
}

/** A header that starts a new trace: a new Root (its time part from `nowMs`, the clock's), a new Parent. */
export function newTraceHeader(nowMs: number): string {
  return `Root=${newTraceRoot(nowMs)};Parent=${randomHex(8)};Sampled=0`;
}

/** The trace id (`Root`) of a header, or undefined when it has none. */
export function traceRootOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : ROOT.exec(header)?.[1];
}

/** The segment id (`Parent`) of a header, or undefined when it has none. */
export function parentOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : PARENT.exec(header)?.[1];
}

/**
 * The header a hop passes on: the same Root and the other fields as they were (Sampled, Lineage:
 * only an invocation counts in Lineage), with a new Parent, this hop's segment id. A header
 * without a Root starts a new trace at `nowMs`.
 */
export function childHeader(header: string | undefined, nowMs = Date.now()): string {
  const root = traceRootOf(header);
  if (header === undefined || root === undefined) return newTraceHeader(nowMs);
  let rest = "";
  for (const field of header.split(";")) {
    const name = field.trim();
    if (name === "" || name.startsWith("Root=") || name.startsWith("Parent=")) continue;
    rest += `;${name}`;
  }
  return `Root=${root};Parent=${randomHex(8)}${rest}`;
}

/**
 * The header a service passes on that Lambda's recursive loop detection does not count through:
 * Lineage dropped, the rest as it was. Lambda detects loops only between functions, Amazon SQS,
 * Amazon S3 and Amazon SNS (Supported AWS services and SDKs,
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html): a chain through
 * EventBridge or a Step Functions execution starts its count again (its trace goes on).
 */
export function withoutLineage(header: string): string {
  return header
    .split(";")
    .filter((field) => !field.trim().startsWith("Lineage="))
    .join(";");
}

// Only X-Ray's own forms count: a header from the wire (a client's X-Amzn-Trace-Id, an
// AWSTraceHeader) is no trace otherwise, as X-Ray drops headers that are not valid
// (eb-related-service-xray), and never puts arbitrary text into trace and hop ids.
const ROOT = /(?:^|;)\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})(?=;|\s|$)/;
const PARENT = /(?:^|;)\s*Parent=([0-9a-fA-F]{16})(?=;|\s|$)/;
const LINEAGE = /(?:^|;)\s*Lineage=([^;\s]+)/;

/**
 * A new trace id, `1-<epoch seconds, 8 hex>-<96 bits, 24 hex>`. X-Ray asks the 96 bits to be
 * unique, not random (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html#xray-api-traceids):
 * here they are 40 random bits drawn once per process and a 56-bit count, so the ids one process
 * makes only grow. The trace file's b-trees keyed by trace id (hops, summaries) then gain each
 * new trace at their end, where random ids dirtied a page of each per trace: the writer thread
 * spent ~30% more per HTTP API request with them (bench/traces.ts). Another process (a later run
 * writing the same file) draws other random bits.
 */
export function newTraceRoot(nowMs: number): string {
  const second = Math.floor(nowMs / 1000);
  if (second !== rootSecond) {
    processBits ??= randomHex(5);
    rootPrefix = `1-${second.toString(16).padStart(8, "0")}-${processBits}`;
    rootSecond = second;
  }
  return rootPrefix + (rootCount++).toString(16).padStart(14, "0");
}

let processBits: string | undefined;
// The seconds part changes once a second: its prefix is kept.
let rootSecond = Number.NaN;
let rootPrefix = "";
let rootCount = 0;

/**
 * Random bytes drawn from a pool refilled 4 KB at a time, as hex: every invocation takes 8 or 20
 * (issue 14 measures the cost per invocation; one crypto call per invocation costs microseconds).
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += bytes;
  return pool.toString("hex", offset - bytes, offset);
}
