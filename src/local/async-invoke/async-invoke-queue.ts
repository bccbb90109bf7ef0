import { randomUUID } from "node:crypto";
import type { AsyncInvokeSpec, FunctionSpec } from "../../model/app-spec.ts";
import { ASYNC_INVOKE_DEFAULTS, asyncInvokeSettings } from "../../model/async-invoke.ts";
import { arn } from "../../model/naming.ts";
import type { Clock, Timer } from "../clock/index.ts";
import type { InvokeResult, LambdaService } from "../lambda/index.ts";
import type { AsyncInvoker } from "../routing/index.ts";
import type { QueueService } from "../sqs/index.ts";
import { type Db, migrate } from "../store/index.ts";
import { newTraceHeader, type TraceRef, type Tracer } from "../traces/index.ts";
import {
  AsyncDestinations,
  type AsyncDestinationsOptions,
  type DestinationEvent,
} from "./async-destinations.ts";
import { checkAsyncPayload } from "./async-payload.ts";
import { expiresAt, retryDelayMs } from "./async-retry-policy.ts";
import {
  type AttemptResponse,
  DestinationCondition,
  errorSummary,
  type FailureCondition,
  THROTTLED,
} from "./destination-record.ts";
import { dropHop } from "./drop-hop.ts";

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
      /** Lambda discarded the event; `sentTo` names the on-failure destination and dead-letter queue it went to. */
      readonly type: "dropped";
      readonly functionName: string;
      readonly requestId: string;
      readonly reason: string;
      readonly condition: FailureCondition;
      readonly sentTo: readonly string[];
    }
  | DestinationEvent;

export interface AsyncInvokeOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly lambda: LambdaService;
  readonly functionNames: readonly string[];
  /**
   * The functions' specs, for their `async` settings (retries, event age, destinations) and
   * reserved concurrency. A function without a spec here gets Lambda's defaults.
   * @default Lambda's defaults for every function
   */
  readonly functions?: readonly FunctionSpec[];
  /** Where queue destinations and dead-letter queues are. Needed when a function names one. */
  readonly sqs?: Pick<QueueService, "sendMessage">;
  /** Bus destinations: their names, physical names and PutEvents. Needed when a function names one. */
  readonly buses?: Pick<AsyncDestinationsOptions, "busNames" | "physicalBusName" | "putEvents">;
  /** For the function ARNs in invocation records. @default "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /** Called after every completed attempt (routing deliveries, logs). Throwing counts as a failure. */
  readonly onResult: (functionName: string, result: InvokeResult) => void;
  readonly onEvent?: (event: AsyncInvokeEvent) => void;
  /**
   * Records the queue's own hops (issue 20): `destination` and `dead-letter` when a record or an
   * event is sent on, `drop` when an event is discarded with nowhere to go. Invocations record
   * their own `invoke` hops. @default none
   */
  readonly tracer?: Tracer;
}

interface Row {
  id: string;
  function_name: string;
  payload: string;
  request_id: string;
  /** Failed attempts so far (throttles excluded): the retries used. */
  attempts: number;
  due_at: number;
  created_at: number;
  /** Invocations that ran, for the record's approximateInvokeCount. */
  invoke_count: number;
  /** JSON of the last attempt's AttemptResponse. */
  last_response: string | null;
  /** The X-Ray trace header of the request that caused the event (an S3 write's), if any. */
  trace_header: string | null;
  /** What asked for the invocation (`function:ingest`, `bucket:uploads`), for its trace hops. */
  source: string | null;
}

type Attempt =
  | { readonly ok: true; readonly result: InvokeResult }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly throttled: boolean;
      /** False when Lambda refused the invoke, so the function never ran. */
      readonly invoked: boolean;
      readonly response: AttemptResponse;
      /** Lambda's recursive loop detection stopped it: no retries. */
      readonly recursive?: boolean;
      /** The header the failed invocation ran under, when it ran: what its failure record continues. */
      readonly traceHeader?: string;
    };

const SCHEMA = [
  `CREATE TABLE async_invocations (
     id TEXT PRIMARY KEY, function_name TEXT NOT NULL, payload TEXT NOT NULL, request_id TEXT NOT NULL,
     attempts INTEGER NOT NULL, due_at INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
  "CREATE INDEX async_invocations_due ON async_invocations (function_name, due_at)",
  // Destinations and dead-letter queues report how many invocations ran and how the last one ended.
  `ALTER TABLE async_invocations ADD COLUMN invoke_count INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE async_invocations ADD COLUMN last_response TEXT`,
  // The cause's trace header, so the invocation continues its chain (recursive loop detection).
  "ALTER TABLE async_invocations ADD COLUMN trace_header TEXT",
  // What caused the event, so each attempt's trace hop names its source (issue 20).
  "ALTER TABLE async_invocations ADD COLUMN source TEXT",
];

/** While events wait for concurrency, look again this often (clock time). */
const CAPACITY_RECHECK_MS = 50;

/**
 * Lambda's internal queue for asynchronous invocations. An accepted event is in SQLite before
 * `enqueue` returns, so it survives a crash (and may then run twice: at-least-once, as on AWS).
 * Retries, event expiry and destinations are decided on the clock.
 */
export class AsyncInvokeQueue implements AsyncInvoker {
  private readonly inFlight = new Set<string>();
  /** Events accepted whose pump is queued (a microtask): they start in this turn. */
  private accepted = 0;
  /** Due events per function that the last pump left waiting for concurrency. */
  private readonly waiting = new Map<string, number>();
  /** Functions whose pump is queued because an invocation gave its concurrency back. */
  private readonly wakes = new Set<string>();
  private stopListening: (() => void) | undefined;
  private readonly timers = new Map<string, Timer>();
  private readonly specs = new Map<string, FunctionSpec>();
  private readonly destinations: AsyncDestinations;
  private started = false;
  private closed = false;
  private readonly statements;

  constructor(private readonly options: AsyncInvokeOptions) {
    migrate(options.db, "async-invoke", SCHEMA);
    for (const fn of options.functions ?? []) this.specs.set(fn.name, fn);
    this.destinations = new AsyncDestinations({
      functionNames: new Set(options.functionNames),
      invokeAsync: (name, payload, traceHeader, source) => this.enqueue(name, payload, traceHeader, source),
      ...(options.sqs ? { sqs: options.sqs } : {}),
      ...options.buses,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.tracer ? { tracer: options.tracer } : {}),
    });
    const db = options.db;
    this.statements = {
      insert: db.prepare(
        "INSERT INTO async_invocations (id, function_name, payload, request_id, attempts, due_at, created_at, trace_header, source) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)",
      ),
      due: db.prepare(
        "SELECT * FROM async_invocations WHERE function_name = ? AND due_at <= ? ORDER BY due_at, created_at LIMIT 64",
      ),
      next: db.prepare(
        "SELECT MIN(due_at) AS due FROM async_invocations WHERE function_name = ? AND due_at > ?",
      ),
      remove: db.prepare("DELETE FROM async_invocations WHERE id = ?"),
      reschedule: db.prepare(
        "UPDATE async_invocations SET attempts = ?, due_at = ?, invoke_count = ?, last_response = ? WHERE id = ?",
      ),
      count: db.prepare(
        "SELECT function_name AS name, COUNT(*) AS n FROM async_invocations GROUP BY function_name",
      ),
    };
  }

  /**
   * Runs accepted events, those from before a restart included. Until then `enqueue` only stores
   * them: a one-shot command accepts an event for the next `dev` and must not run it itself.
   */
  start(): void {
    this.started = true;
    this.stopListening ??= this.options.lambda.onInvocationEnd?.(() => this.wakeWaiting());
    for (const name of this.options.functionNames) this.pump(name);
  }

  /**
   * Throws RequestEntityTooLargeException (413) above Lambda's 1 MB asynchronous payload limit.
   * `traceHeader`: the X-Ray trace header of the request that caused the event (an S3 write's,
   * the routing invocation's); without one the event starts a trace of its own, so its retries
   * and destinations share it. `source`: what caused it (`function:ingest`, `bucket:uploads`).
   */
  enqueue(
    functionName: string,
    payload: string,
    traceHeader?: string,
    source?: TraceRef,
  ): { requestId: string } {
    checkAsyncPayload(payload);
    const requestId = randomUUID();
    const now = this.options.clock.now();
    const header = traceHeader ?? newTraceHeader(now);
    this.statements.insert.run(
      randomUUID(),
      functionName,
      payload,
      requestId,
      now,
      now,
      header,
      source ?? null,
    );
    if (this.started && !this.closed) {
      this.accepted++;
      queueMicrotask(() => {
        this.accepted--;
        this.pump(functionName);
      });
    }
    return { requestId };
  }

  /**
   * Work that progresses without the clock moving (LocalCloud.pendingWork): attempts running, and
   * events just accepted, due now, whose pump is queued for this turn, and due events waiting for
   * the function's concurrency while invocations run (one ending wakes them: wakeWaiting). A retry
   * falls due on a clock timer (a minute or two later), and an event waiting with nothing running
   * is looked at again on the clock (CAPACITY_RECHECK_MS): neither counts, so settling never waits on them.
   */
  pendingWork(): number {
    return this.inFlight.size + this.accepted + this.wakes.size + this.waitingOnRunning();
  }

  /** Events waiting for room that an invocation running now will make room for when it ends. */
  private waitingOnRunning(): number {
    if (this.waiting.size === 0 || this.stopListening === undefined) return 0;
    if (!this.options.lambda.stats().some((fn) => fn.busy > 0)) return 0;
    let waiting = 0;
    for (const n of this.waiting.values()) waiting += n;
    return waiting;
  }

  /** An invocation ended: pump (once, in a microtask) each function with events waiting for room. */
  private wakeWaiting(): void {
    for (const functionName of this.waiting.keys()) {
      if (this.wakes.has(functionName)) continue;
      this.wakes.add(functionName);
      queueMicrotask(() => {
        this.wakes.delete(functionName);
        this.pump(functionName);
      });
    }
  }

  /** Events waiting per function (accepted, not yet finished). */
  depths(): Record<string, number> {
    const rows = this.statements.count.all() as { name: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.n]));
  }

  close(): void {
    this.closed = true;
    this.stopListening?.();
    this.waiting.clear();
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  /**
   * Discards due events older than their maximum age, starts as many of the others as the function
   * has room for, and arms a timer for what comes next.
   */
  pump(functionName: string): void {
    if (this.closed || !this.started) return;
    const now = this.options.clock.now();
    const settings = this.settings(functionName);
    // Lambda sends events of a function whose reserved concurrency is 0 to its failure targets at once.
    const stopped = this.specs.get(functionName)?.reservedConcurrency === 0;
    let oldestWaiting: number | undefined;
    let waiting = 0;
    for (const row of this.statements.due.all(functionName, now) as Row[]) {
      if (this.inFlight.has(row.id)) continue;
      if (now >= expiresAt(row.created_at, settings.maximumEventAgeSeconds)) {
        this.discard(row, DestinationCondition.EventAgeExceeded, lastResponse(row), row.invoke_count);
      } else if (stopped) {
        this.discard(row, DestinationCondition.RetriesExhausted, THROTTLED, row.invoke_count);
      } else if (oldestWaiting === undefined && this.options.lambda.hasCapacity(functionName)) {
        this.inFlight.add(row.id);
        void this.attempt(row);
      } else {
        oldestWaiting = Math.min(oldestWaiting ?? row.created_at, row.created_at);
        waiting++;
      }
    }
    if (waiting > 0) this.waiting.set(functionName, waiting);
    else this.waiting.delete(functionName);
    this.arm(functionName, now, oldestWaiting);
  }

  /** Wakes for the next event that falls due, or, while events wait for capacity, shortly. */
  private arm(functionName: string, now: number, oldestWaiting: number | undefined): void {
    this.timers.get(functionName)?.cancel();
    this.timers.delete(functionName);
    const { due } = this.statements.next.get(functionName, now) as { due: number | null };
    let at = due ?? Number.POSITIVE_INFINITY;
    if (oldestWaiting !== undefined) {
      const expiry = expiresAt(oldestWaiting, this.settings(functionName).maximumEventAgeSeconds);
      at = Math.min(at, now + CAPACITY_RECHECK_MS, expiry);
    }
    if (at === Number.POSITIVE_INFINITY) return;
    this.timers.set(
      functionName,
      this.options.clock.at(at, () => this.pump(functionName)),
    );
  }

  private async attempt(row: Row): Promise<void> {
    const outcome = await this.invoke(row);
    this.inFlight.delete(row.id);
    if (this.closed) return;
    const invokeCount = row.invoke_count + (outcome.ok || outcome.invoked ? 1 : 0);
    if (outcome.ok) this.succeed(row, outcome.result, invokeCount);
    else this.fail(row, outcome, invokeCount);
    this.pump(row.function_name);
  }

  private async invoke(row: Row): Promise<Attempt> {
    let result: InvokeResult;
    try {
      result = await this.options.lambda.invoke(row.function_name, {
        payload: row.payload,
        requestId: row.request_id,
        ...(row.trace_header === null ? {} : { traceHeader: row.trace_header }),
        ...(row.source === null ? {} : { source: row.source }),
        // Lambda's retries count from the first attempt; a throttled attempt spends none.
        attempt: row.attempts + 1,
      });
    } catch (error) {
      const { code, statusCode, message } = error as { code?: string; statusCode?: number; message: string };
      const throttled = code === "TooManyRequestsException";
      const response: AttemptResponse = throttled
        ? THROTTLED
        : {
            statusCode: statusCode ?? 500,
            executedVersion: "$LATEST",
            payload: JSON.stringify({ errorMessage: message, errorType: code ?? "ServiceException" }),
          };
      const recursive = code === "RecursiveInvocationException";
      return {
        ok: false,
        reason: message,
        throttled,
        invoked: false,
        response,
        ...(recursive ? { recursive } : {}),
      };
    }
    try {
      this.options.onResult(row.function_name, result);
    } catch (error) {
      // On AWS the routing wrapper delivers inside the function, so a failed delivery is its error.
      const { code, message } = error as { code?: string; message: string };
      const payload = JSON.stringify({ errorMessage: message, errorType: code ?? "Error" });
      const response = {
        statusCode: 200,
        executedVersion: result.executedVersion,
        functionError: "Unhandled",
        payload,
      };
      return {
        ok: false,
        reason: message,
        throttled: false,
        invoked: true,
        response,
        traceHeader: result.traceHeader,
      };
    }
    if (result.functionError === undefined) return { ok: true, result };
    const response: AttemptResponse = {
      statusCode: result.statusCode,
      executedVersion: result.executedVersion,
      functionError: result.functionError,
      payload: result.payload,
    };
    return {
      ok: false,
      reason: errorSummary(result.payload),
      throttled: false,
      invoked: true,
      response,
      traceHeader: result.traceHeader,
    };
  }

  private succeed(row: Row, result: InvokeResult, invokeCount: number): void {
    this.statements.remove.run(row.id);
    const target = this.settings(row.function_name).onSuccess;
    if (target === undefined) return;
    const response = {
      statusCode: result.statusCode,
      executedVersion: result.executedVersion,
      payload: result.payload,
    };
    this.destinations.sendRecord(
      target,
      this.recordInput(row, DestinationCondition.Success, response, invokeCount),
      { parentHeader: result.traceHeader },
    );
  }

  private fail(row: Row, failure: Extract<Attempt, { ok: false }>, invokeCount: number): void {
    const settings = this.settings(row.function_name);
    const attempts = failure.throttled ? row.attempts : row.attempts + 1;
    // A stopped recursive loop is not retried: Lambda sends the event to its failure targets.
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
    if (failure.recursive === true || attempts > settings.maximumRetryAttempts) {
      this.discard(
        row,
        DestinationCondition.RetriesExhausted,
        failure.response,
        invokeCount,
        failure.reason,
        failure.traceHeader,
      );
      return;
    }
    const atMs = this.options.clock.now() + retryDelayMs(attempts, failure.throttled);
    const expiry = expiresAt(row.created_at, settings.maximumEventAgeSeconds);
    const response = JSON.stringify(failure.response);
    if (atMs >= expiry) {
      // The retry would come too late: the event is discarded when it expires (see pump).
      this.statements.reschedule.run(attempts, expiry, invokeCount, response, row.id);
      return;
    }
    this.statements.reschedule.run(attempts, atMs, invokeCount, response, row.id);
    this.options.onEvent?.({
      type: "retry-scheduled",
      functionName: row.function_name,
      requestId: row.request_id,
      attempt: attempts,
      atMs,
      reason: failure.reason,
    });
  }

  /**
   * Lambda discards the event, after sending it to the function's failure targets. `lastHeader`:
   * the header the last invocation ran under, which the failure record continues (else the
   * event's own: an event that expired waiting).
   */
  private discard(
    row: Row,
    condition: FailureCondition,
    response: AttemptResponse,
    invokeCount: number,
    reason = errorSummary(response.payload),
    lastHeader: string | undefined = row.trace_header ?? undefined,
  ): void {
    this.statements.remove.run(row.id);
    const settings = this.settings(row.function_name);
    const record = this.recordInput(row, condition, response, invokeCount);
    const trace = lastHeader === undefined ? undefined : { parentHeader: lastHeader };
    const sentTo = this.destinations.sendFailure(settings, record, row.payload, trace);
    const why =
      condition === DestinationCondition.EventAgeExceeded
        ? `event older than its maximum age of ${settings.maximumEventAgeSeconds} seconds` +
          (invokeCount === 0 ? " (never invoked)" : `: ${reason}`)
        : `retries exhausted: ${reason}`;
    // Gone for good (no destination took it): a `drop` hop in its trace.
    if (sentTo.length === 0 && lastHeader !== undefined) {
      this.options.tracer?.record(
        dropHop({
          functionName: row.function_name,
          requestId: row.request_id,
          payload: row.payload,
          parentHeader: lastHeader,
          why,
          invokeCount,
          nowMs: this.options.clock.now(),
        }),
      );
    }
    this.options.onEvent?.({
      type: "dropped",
      functionName: row.function_name,
      requestId: row.request_id,
      reason: why,
      condition,
      sentTo,
    });
  }

  private recordInput(
    row: Row,
    condition: DestinationCondition,
    response: AttemptResponse,
    invokeCount: number,
  ) {
    return {
      functionName: row.function_name,
      requestId: row.request_id,
      functionArn: this.functionArn(row.function_name),
      condition,
      approximateInvokeCount: invokeCount,
      requestPayload: row.payload,
      response,
      nowMs: this.options.clock.now(),
    };
  }

  private settings(functionName: string): AsyncInvokeSpec {
    const fn = this.specs.get(functionName);
    return fn ? asyncInvokeSettings(fn) : ASYNC_INVOKE_DEFAULTS;
  }

  private functionArn(functionName: string): string {
    const region = this.options.region ?? "us-east-1";
    const account = this.options.accountId ?? "000000000000";
    const physical = this.specs.get(functionName)?.functionName ?? functionName;
    return arn("lambda", region, account, `function:${physical}`);
  }
}

/** The last attempt's answer; an event that never ran was throttled all along. */
function lastResponse(row: Row): AttemptResponse {
  return row.last_response === null ? THROTTLED : (JSON.parse(row.last_response) as AttemptResponse);
}
