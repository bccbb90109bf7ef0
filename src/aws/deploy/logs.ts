/**
 * `sluice logs`: a deployed function's CloudWatch Logs events from `/aws/lambda/<physical name>`,
 * each once (events are deduplicated by eventId, since polls overlap by design: an event can land
 * with a timestamp just before the previous poll's newest).
 */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { gotValue, SluiceError } from "../../model/errors.ts";

export interface LogEvent {
  readonly eventId: string;
  readonly timestamp: number;
  readonly logStreamName: string;
  readonly message: string;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `10m`, `2h`, `7d` → milliseconds. */
export function parseSince(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (!match) {
    throw new SluiceError(
      "SLUICE_SINCE",
      gotValue("--since takes a number and a unit, s, m, h or d (e.g. 10m, 2h, 7d)", value),
    );
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export class LogReader {
  private readonly seen = new Set<string>();
  private from: number;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly logGroupName: string,
    startTime: number,
  ) {
    this.from = startTime;
  }

  /** Events since the last call (or the start time), oldest first, none twice. */
  async next(): Promise<LogEvent[]> {
    const fresh: LogEvent[] = [];
    let token: string | undefined;
    do {
      const page = await this.logs.send(
        new FilterLogEventsCommand({
          logGroupName: this.logGroupName,
          startTime: this.from,
          ...(token ? { nextToken: token } : {}),
        }),
      );
      for (const e of page.events ?? []) {
        if (e.eventId === undefined || this.seen.has(e.eventId)) continue;
        this.seen.add(e.eventId);
        fresh.push({
          eventId: e.eventId,
          timestamp: e.timestamp ?? 0,
          logStreamName: e.logStreamName ?? "",
          message: e.message ?? "",
        });
      }
      token = page.nextToken;
    } while (token);
    fresh.sort((a, b) => a.timestamp - b.timestamp);
    const newest = fresh.at(-1);
    // Next time start at the newest timestamp seen (inclusive): the seen set drops the repeats.
    if (newest !== undefined) this.from = Math.max(this.from, newest.timestamp);
    return fresh;
  }
}

export function isMissingLogGroup(error: unknown): boolean {
  return (error as { name?: string }).name === "ResourceNotFoundException";
}
