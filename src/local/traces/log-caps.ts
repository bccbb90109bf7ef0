/**
 * The per-invocation cap on stored log lines (TRACE_LOG_LINES_PER_REQUEST lines and
 * TRACE_LOG_BYTES_PER_REQUEST bytes per Lambda request id). A function that logs in a loop keeps
 * its first lines and a last one saying the rest were dropped, instead of filling the file.
 * Each request id gets a key, increasing, that its lines are stored under (trace-schema.ts).
 * Counting happens in memory, on the invocation's path, for the last REMEMBERED_REQUESTS request
 * ids: an async retry of an older one, or one after the cloud restarted, counts (and is keyed)
 * anew, so its lines are capped per attempt.
 */
import { TRACE_LOG_BYTES_PER_REQUEST, TRACE_LOG_LINES_PER_REQUEST } from "./trace-limits.ts";
import { cutUtf8 } from "./utf8-cut.ts";

const LOG_CAPPED_LINE = `[sluice] later log lines of this invocation were not kept (at most ${TRACE_LOG_LINES_PER_REQUEST} lines or ${TRACE_LOG_BYTES_PER_REQUEST / 1024} KiB per invocation)`;
const CAPPED_BYTES = Buffer.byteLength(LOG_CAPPED_LINE);

/** Request ids whose counts stay in memory (about 100 bytes each), at least half of them. */
const REMEMBERED_REQUESTS = 16_384;

/** A line to store: its request id's key, its number within them (from 1), its text. */
export interface AdmittedLine {
  readonly key: number;
  readonly line: number;
  readonly text: string;
}

interface Usage {
  readonly key: number;
  lines: number;
  bytes: number;
  capped: boolean;
}

const NONE: readonly AdmittedLine[] = [];

export class LogCaps {
  /**
   * Two generations instead of one map evicting its oldest key: a Map's first key is found by
   * walking past every deleted one, which made each eviction slower than the line it made room for.
   */
  private usage = new Map<string, Usage>();
  private older = new Map<string, Usage>();
  /**
   * The request id asked about last and its usage: an invocation's lines and its hop come
   * together (START; END, REPORT and the hop's key), so most lookups are the one before.
   */
  private lastRequestId: string | undefined;
  private lastUsage: Usage | undefined;

  /** `nextKey`: one more than the largest key the store holds. */
  constructor(private nextKey: number) {}

  /** The key `requestId`'s lines are (or will be) stored under. */
  keyOf(requestId: string): number {
    return this.usageOf(requestId).key;
  }

  /**
   * The number (from 1) of `text` as the next line of `requestId` when it fits whole, the common
   * case, without allocating; 0 when it does not (`admit` says what to keep then).
   */
  admitWhole(requestId: string, text: string): number {
    const usage = this.usageOf(requestId);
    if (usage.capped) return 0;
    const bytes = text.length * 3 <= 64 ? text.length * 3 : Buffer.byteLength(text);
    // One line and its bytes stay free for the line that says the rest were dropped.
    if (
      usage.lines + 1 < TRACE_LOG_LINES_PER_REQUEST &&
      usage.bytes + bytes + CAPPED_BYTES <= TRACE_LOG_BYTES_PER_REQUEST
    ) {
      usage.lines += 1;
      usage.bytes += bytes;
      return usage.lines;
    }
    return 0;
  }

  /** What to keep of `text`, the next line of `requestId`: the line, cut to fit, and the cap's last line. */
  admit(requestId: string, text: string): readonly AdmittedLine[] {
    const usage = this.usageOf(requestId);
    const line = this.admitWhole(requestId, text);
    if (line > 0) return [{ key: usage.key, line, text }];
    if (usage.capped) return NONE;
    usage.capped = true;
    const room = TRACE_LOG_BYTES_PER_REQUEST - CAPPED_BYTES - usage.bytes;
    const kept = usage.lines + 1 < TRACE_LOG_LINES_PER_REQUEST && room > 0 ? cutUtf8(text, room).text : "";
    const admitted: AdmittedLine[] = [];
    if (kept !== "") {
      usage.lines += 1;
      usage.bytes += Buffer.byteLength(kept);
      admitted.push({ key: usage.key, line: usage.lines, text: kept });
    }
    usage.lines += 1;
    usage.bytes += CAPPED_BYTES;
    admitted.push({ key: usage.key, line: usage.lines, text: LOG_CAPPED_LINE });
    return admitted;
  }

  private usageOf(requestId: string): Usage {
    if (requestId === this.lastRequestId && this.lastUsage !== undefined) return this.lastUsage;
    let usage = this.usage.get(requestId);
    if (usage !== undefined) return this.remember(requestId, usage);
    usage = this.older.get(requestId) ?? { key: this.nextKey++, lines: 0, bytes: 0, capped: false };
    if (this.usage.size >= REMEMBERED_REQUESTS / 2) {
      this.older = this.usage;
      this.usage = new Map();
    }
    this.usage.set(requestId, usage);
    return this.remember(requestId, usage);
  }

  private remember(requestId: string, usage: Usage): Usage {
    this.lastRequestId = requestId;
    this.lastUsage = usage;
    return usage;
  }
}
