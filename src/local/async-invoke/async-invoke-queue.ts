import { randomUUID } from "node:crypto";
import type { Clock, Timer } from "../clock.ts";
import type { InvokeResult, LambdaService } from "../lambda/types.ts";
import type { AsyncInvoker } from "../routing/router.ts";
import { type Db, migrate } from "../store/store.ts";
import { ASYNC_DEFAULTS, retryDelayMs } from "./async-retry-policy.ts";

export type AsyncInvokeEvent =
  | {
      readonly type: "retry-scheduled";
      readonly functionName: string;
      readonly requestId: string;
      readonly attempt: number;
      readonly atMs: number;
      readonly reason: string;
    }
  | {
      readonly type: "dropped";
      readonly functionName: string;
      readonly requestId: string;
      readonly reason: string;
    };

export interface AsyncInvokeOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly lambda: LambdaService;
  readonly functionNames: readonly string[];
  /** Called after every completed attempt (routing deliveries, logs). Throwing counts as a failure. */
  readonly onResult: (functionName: string, result: InvokeResult) => void;
  readonly onEvent?: (event: AsyncInvokeEvent) => void;
}

interface Row {
  id: string;
  function_name: string;
  payload: string;
  request_id: string;
  attempts: number;
  due_at: number;
  created_at: number;
}

const SCHEMA = [
  `CREATE TABLE async_invocations (
     id TEXT PRIMARY KEY, function_name TEXT NOT NULL, payload TEXT NOT NULL, request_id TEXT NOT NULL,
     attempts INTEGER NOT NULL, due_at INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
  "CREATE INDEX async_invocations_due ON async_invocations (function_name, due_at)",
];

/**
 * Lambda's internal queue for asynchronous invocations. An accepted event is in SQLite before
 * `enqueue` returns, so it survives a crash (and may then run twice: at-least-once, as on AWS).
 */
export class AsyncInvokeQueue implements AsyncInvoker {
  private readonly inFlight = new Set<string>();
  private readonly timers = new Map<string, Timer>();
  private closed = false;
  private readonly statements;

  constructor(private readonly options: AsyncInvokeOptions) {
    migrate(options.db, "async-invoke", SCHEMA);
    const db = options.db;
    this.statements = {
      insert: db.prepare(
        "INSERT INTO async_invocations (id, function_name, payload, request_id, attempts, due_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
      ),
      due: db.prepare(
        "SELECT * FROM async_invocations WHERE function_name = ? AND due_at <= ? ORDER BY due_at, created_at LIMIT 64",
      ),
      next: db.prepare("SELECT MIN(due_at) AS due FROM async_invocations WHERE function_name = ?"),
      remove: db.prepare("DELETE FROM async_invocations WHERE id = ?"),
      reschedule: db.prepare("UPDATE async_invocations SET attempts = ?, due_at = ? WHERE id = ?"),
      count: db.prepare(
        "SELECT function_name AS name, COUNT(*) AS n FROM async_invocations GROUP BY function_name",
      ),
    };
  }

  /** Resumes events accepted before a restart. */
  start(): void {
    for (const name of this.options.functionNames) this.pump(name);
  }

  enqueue(functionName: string, payload: string): { requestId: string } {
    const requestId = randomUUID();
    const now = this.options.clock.now();
    this.statements.insert.run(randomUUID(), functionName, payload, requestId, now, now);
    if (!this.closed) queueMicrotask(() => this.pump(functionName));
    return { requestId };
  }

  /** Events waiting per function (accepted, not yet finished). */
  depths(): Record<string, number> {
    const rows = this.statements.count.all() as { name: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.n]));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /** Starts as many due events as the function has room for; arms a timer for the next one. */
  pump(functionName: string): void {
    if (this.closed) return;
    const now = this.options.clock.now();
    const rows = this.statements.due.all(functionName, now) as Row[];
    for (const row of rows) {
      if (this.inFlight.has(row.id)) continue;
      if (!this.options.lambda.hasCapacity(functionName)) break;
      this.inFlight.add(row.id);
      void this.attempt(row);
    }
    this.arm(functionName);
  }

  private arm(functionName: string): void {
    this.timers.get(functionName)?.cancel();
    this.timers.delete(functionName);
    const { due } = this.statements.next.get(functionName) as { due: number | null };
    if (due === null) return;
    // Events already due wait for capacity: re-check shortly rather than spin.
    const at = Math.max(due, this.options.clock.now() + (due <= this.options.clock.now() ? 50 : 0));
    this.timers.set(
      functionName,
      this.options.clock.at(at, () => this.pump(functionName)),
    );
  }

  private async attempt(row: Row): Promise<void> {
    let failure: { reason: string; throttled: boolean } | undefined;
    try {
      const result = await this.options.lambda.invoke(row.function_name, {
        payload: row.payload,
        requestId: row.request_id,
      });
      this.options.onResult(row.function_name, result);
      if (result.functionError) failure = { reason: errorSummary(result.payload), throttled: false };
    } catch (error) {
      const code = (error as { code?: string }).code;
      failure = { reason: (error as Error).message, throttled: code === "TooManyRequestsException" };
    } finally {
      this.inFlight.delete(row.id);
    }
    if (this.closed) return;
    if (failure) this.fail(row, failure);
    else this.statements.remove.run(row.id);
    this.pump(row.function_name);
  }

  private fail(row: Row, failure: { reason: string; throttled: boolean }): void {
    const now = this.options.clock.now();
    const attempts = failure.throttled ? row.attempts : row.attempts + 1;
    const base = { functionName: row.function_name, requestId: row.request_id } as const;
    if (attempts > ASYNC_DEFAULTS.maximumRetryAttempts) {
      this.statements.remove.run(row.id);
      this.options.onEvent?.({ type: "dropped", ...base, reason: `retries exhausted: ${failure.reason}` });
      return;
    }
    const atMs = now + retryDelayMs(attempts, failure.throttled);
    if (atMs - row.created_at > ASYNC_DEFAULTS.maximumEventAgeSeconds * 1000) {
      this.statements.remove.run(row.id);
      this.options.onEvent?.({
        type: "dropped",
        ...base,
        reason: `event older than its maximum age: ${failure.reason}`,
      });
      return;
    }
    this.statements.reschedule.run(attempts, atMs, row.id);
    this.options.onEvent?.({
      type: "retry-scheduled",
      ...base,
      attempt: attempts,
      atMs,
      reason: failure.reason,
    });
  }
}

function errorSummary(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    return [parsed.errorType, parsed.errorMessage].filter(Boolean).join(": ") || payload;
  } catch {
    return payload;
  }
}
