/**
 * EventBridge's event envelope, and the PutEvents entry it is made from. The size of an entry is
 * counted as EventBridge counts it (eb-putevent-size): Time as 14 bytes, then the UTF-8 bytes of
 * Source, DetailType, Detail and each Resource.
 */
import { randomUUID } from "node:crypto";
import { isoSeconds } from "../../model/iso-seconds.ts";

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  /** JSON text of an object. */
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** Seconds since the epoch (the SDK sends a number) or an ISO date. */
  readonly Time?: number | string;
  /** Name or ARN; the default bus when absent. */
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

export interface EventBridgeEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 without milliseconds, as EventBridge writes it. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export function entrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += Buffer.byteLength(entry.Source ?? "") + Buffer.byteLength(entry.DetailType ?? "");
  size += Buffer.byteLength(entry.Detail ?? "");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource);
  return size;
}

export function envelope(
  entry: PutEventsEntry & { readonly Source: string; readonly DetailType: string },
  detail: unknown,
  where: { readonly account: string; readonly region: string; readonly nowMs: number },
): EventBridgeEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": entry.DetailType,
    source: entry.Source,
    account: where.account,
    time: isoSeconds(entryTimeMs(entry.Time) ?? where.nowMs),
    region: where.region,
    resources: [...(entry.Resources ?? [])],
    detail,
  };
}

function entryTimeMs(time: number | string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const ms = typeof time === "number" ? time * 1000 : Date.parse(time);
  return Number.isFinite(ms) ? ms : undefined;
}
