/**
 * How `sluice traces` lists traces and `sluice trace` draws one (issue 20): a table newest first,
 * and a timeline of hops in time order, each indented under the hop that caused it, with its
 * payload on one line and the log lines of each invocation beneath it.
 */
import type { TraceHop, TraceSummary, TraceTimeline } from "../../local/traces/index.ts";
import { bold, dim, type Output, table } from "../output.ts";
import { duration, offset, red } from "./execution-format.ts";

/** A payload shown on one line is cut to this many characters (`--payloads` shows it whole). */
const PAYLOAD_PREVIEW_CHARS = 100;
/** Deeper causal chains are drawn at this depth, so a long chain cannot push lines off screen. */
const MAX_INDENT_DEPTH = 12;
/** The most resources a listing row names before "+N". */
const RESOURCES_SHOWN = 4;

/** One row per trace, newest first: id, start (ISO, on the local cloud's clock), duration, hops, outcome. */
export function formatTraces(output: Output, traces: readonly TraceSummary[]): string[] {
  if (traces.length === 0) return [dim(output, "no traces")];
  const regions = traces.some((t) => t.region !== undefined);
  const rows = traces.map((t) => [
    t.traceId,
    new Date(t.startMs).toISOString(),
    duration(t.durationMs),
    String(t.hops),
    t.outcome,
    `${t.source} → ${t.target}`,
    resourceList(t.resources),
    ...(regions ? [t.region ?? "-"] : []),
  ]);
  const header = ["TRACE", "STARTED", "DURATION", "HOPS", "OUTCOME", "STARTED BY", "RESOURCES"];
  // Laid out first, coloured after: escape codes inside cells would throw the columns off.
  const [head = "", ...body] = table([[...header, ...(regions ? ["REGION"] : [])], ...rows]).split("\n");
  return [head, ...body.map((line, i) => (traces[i]?.outcome === "error" ? red(output, line) : line))];
}

function resourceList(resources: readonly string[]): string {
  const shown = resources.slice(0, RESOURCES_SHOWN).join(", ");
  return resources.length > RESOURCES_SHOWN ? `${shown} +${resources.length - RESOURCES_SHOWN}` : shown;
}

export interface TimelineOptions {
  /** Show each payload whole rather than cut to one line. @default false */
  readonly payloads?: boolean;
}

/**
 * The trace as a timeline: a heading, then one line per hop in time order (its offset from the
 * trace's start, `source → target` indented by causal depth, kind, outcome, attempt, duration,
 * detail), its payload, and the log lines of the invocation it was.
 */
export function formatTimeline(
  output: Output,
  timeline: TraceTimeline,
  options: TimelineOptions = {},
): string[] {
  const depths = causalDepths(timeline.hops);
  // Time order; in one millisecond, a cause before what it caused.
  const hops = [...timeline.hops].sort(
    (a, b) => a.startMs - b.startMs || (depths.get(a) ?? 0) - (depths.get(b) ?? 0) || a.seq - b.seq,
  );
  const first = hops[0];
  if (first === undefined) return [`${bold(output, timeline.traceId)}  no hops`];
  const end = Math.max(...hops.map((h) => h.startMs + h.durationMs));
  const failed = hops.filter(isFailure).length;
  const lines = [
    `${bold(output, `trace ${timeline.traceId}`)}  ${hops.length} hop${hops.length === 1 ? "" : "s"}, took ${duration(end - first.startMs)}, ${failed === 0 ? "success" : red(output, `${failed} failed`)}`,
    dim(output, `started ${new Date(first.startMs).toISOString()} (the local cloud's clock)`),
    "",
  ];
  const rows = hops.map((hop) => [
    offset(hop.startMs - first.startMs),
    `${"  ".repeat(depths.get(hop) ?? 0)}${printable(`${hop.source} → ${hop.target}`)}`,
    hop.kind,
    hop.outcome,
    hop.attempt > 1 ? `attempt ${hop.attempt}` : "",
    duration(hop.durationMs),
    hop.detail === undefined ? "" : oneLine(hop.detail, PAYLOAD_PREVIEW_CHARS),
  ]);
  const [header = "", ...body] = table([
    ["TIME", "HOP", "KIND", "OUTCOME", "ATTEMPT", "DURATION", "DETAIL"],
    ...rows,
  ]).split("\n");
  lines.push(header);
  const hopColumn = Math.max(0, header.indexOf("HOP"));
  for (const [i, hop] of hops.entries()) {
    const line = (body[i] ?? "").trimEnd();
    lines.push(isFailure(hop) ? red(output, line) : line);
    // Under the hop, lined up with its `source → target`.
    const indent = " ".repeat(hopColumn + 2 * (depths.get(hop) ?? 0) + 2);
    lines.push(...payloadLines(output, hop, indent, options.payloads ?? false));
    const logs =
      hop.kind === "invoke" && hop.requestId !== undefined ? timeline.logs[hop.requestId] : undefined;
    for (const log of logs ?? [])
      lines.push(`${indent}${dim(output, "│")} ${printable(log.text.replace(/\s+$/, ""))}`);
  }
  return lines;
}

function payloadLines(output: Output, hop: TraceHop, indent: string, whole: boolean): string[] {
  if (hop.payload === "") return [];
  const cut = hop.truncated ? dim(output, " (truncated when recorded)") : "";
  if (!whole)
    return [`${indent}${dim(output, "payload")} ${oneLine(hop.payload, PAYLOAD_PREVIEW_CHARS)}${cut}`];
  const [head = "", ...rest] = hop.payload.split("\n").map(printable);
  return [
    `${indent}${dim(output, "payload")} ${head}`,
    ...rest.map((line) => `${indent}        ${line}`),
    ...(cut ? [`${indent}${cut.trim()}`] : []),
  ];
}

/** A hop that failed, was throttled, timed out, was dropped or went to a dead-letter queue. */
function isFailure(hop: TraceHop): boolean {
  return hop.outcome !== "success" || hop.kind === "dead-letter" || hop.kind === "drop";
}

/**
 * Wire text (a payload, a log line, an error) as the terminal should show it: control characters
 * other than a line break as `\u001b`-style escapes, so a message cannot move the cursor, set the
 * window title or write the clipboard (OSC 52) of whoever reads the trace.
 */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it escapes
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) =>
    c === "\t" ? "  " : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Text on one line (whitespace runs become one space), cut to `max` characters with "…". */
export function oneLine(text: string, max: number): string {
  const flat = printable(text.replace(/\s+/g, " ").trim());
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * How many hops lie between each hop and the trace's first: its parent's depth plus one, its
 * parent being the earliest hop whose id is its parentId. A hop whose parent is not recorded (or
 * a cycle a bad header could make) starts again at 0.
 */
export function causalDepths(hops: readonly TraceHop[]): Map<TraceHop, number> {
  const byId = new Map<string, TraceHop>();
  for (const hop of hops) if (!byId.has(hop.hopId)) byId.set(hop.hopId, hop);
  const depths = new Map<TraceHop, number>();
  const depthOf = (hop: TraceHop, seen: Set<TraceHop>): number => {
    const known = depths.get(hop);
    if (known !== undefined) return known;
    const parent = hop.parentId === undefined ? undefined : byId.get(hop.parentId);
    let depth = 0;
    if (parent !== undefined && parent !== hop && !seen.has(parent)) {
      seen.add(hop);
      depth = Math.min(depthOf(parent, seen) + 1, MAX_INDENT_DEPTH);
    }
    depths.set(hop, depth);
    return depth;
  };
  for (const hop of hops) depthOf(hop, new Set());
  return depths;
}
