/**
 * A function's `consumes: { table }`: Lambda's event source mapping on the table's stream, with
 * its parameters for DynamoDB Streams and their defaults
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html), and what it says about
 * the rest of the definition: the table exists and has a stream, and the on-failure destination is
 * a standard queue (Lambda sends stream failure records to a standard SQS queue or SNS topic).
 */
import type { TableConsumesSpec } from "../app-spec.ts";
import { formatSeconds, parseDuration } from "../duration.ts";
import { LIMITS } from "../limits.ts";
import type { FunctionDraft, QueueDraft, TableConsumesDraft, TableDraft } from "./draft.ts";
import { readFilters } from "./filters.ts";
import { didYouMean } from "./suggest.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readBoolean,
  readDuration,
  readInteger,
  readOptional,
  readString,
} from "./values.ts";

const ESM = LIMITS.streamEventSourceMapping;
/** Lambda's -1: retry until the record expires, or keep records of any age. */
const UNLIMITED = -1;
const KEYS = [
  "table",
  "startingPosition",
  "batchSize",
  "maximumBatchingWindow",
  "maximumRetryAttempts",
  "maximumRecordAge",
  "bisectBatchOnFunctionError",
  "parallelizationFactor",
  "tumblingWindow",
  "reportBatchItemFailures",
  "onFailure",
  "filters",
] as const;
const POSITIONS: readonly string[] = ESM.startingPositions.values;

export function readTableConsumes(issues: Issues, path: string, fields: Fields): TableConsumesDraft {
  const before = issues.list.length;
  checkKeys(issues, path, fields, KEYS);
  const at = (key: string): string => join(path, key);
  const table = readString(issues, at("table"), fields.table, `table: "games"`);
  const startingPosition = readStartingPosition(issues, at("startingPosition"), fields.startingPosition);
  const bool = (key: "bisectBatchOnFunctionError" | "reportBatchItemFailures") =>
    readOptional(fields[key], false, (v) => readBoolean(issues, at(key), v));
  const batchSize = readOptional(fields.batchSize, ESM.batchSize.default, (v) =>
    readInteger(issues, at("batchSize"), v, ESM.batchSize),
  );
  const window = readOptional(fields.maximumBatchingWindow, ESM.maximumBatchingWindow.default, (v) =>
    readDuration(issues, at("maximumBatchingWindow"), v, ESM.maximumBatchingWindow),
  );
  const retries = readOptional(fields.maximumRetryAttempts, ESM.maximumRetryAttempts.default, (v) =>
    readInteger(issues, at("maximumRetryAttempts"), v, ESM.maximumRetryAttempts),
  );
  const recordAge = readOptional(fields.maximumRecordAge, UNLIMITED, (v) =>
    readRecordAge(issues, at("maximumRecordAge"), v),
  );
  const parallelizationFactor = readOptional(
    fields.parallelizationFactor,
    ESM.parallelizationFactor.default,
    (v) => readInteger(issues, at("parallelizationFactor"), v, ESM.parallelizationFactor),
  );
  const tumbling = readOptional(fields.tumblingWindow, ESM.tumblingWindow.default, (v) =>
    readDuration(issues, at("tumblingWindow"), v, ESM.tumblingWindow),
  );
  const onFailure =
    fields.onFailure === undefined
      ? undefined
      : readString(issues, at("onFailure"), fields.onFailure, `onFailure: "failed-batches"`);
  const filters =
    fields.filters === undefined ? undefined : readFilters(issues, at("filters"), fields.filters);
  const bisect = bool("bisectBatchOnFunctionError");
  const report = bool("reportBatchItemFailures");
  const complete =
    issues.list.length === before &&
    table !== undefined &&
    startingPosition !== undefined &&
    batchSize !== undefined &&
    window !== undefined &&
    retries !== undefined &&
    recordAge !== undefined &&
    parallelizationFactor !== undefined &&
    tumbling !== undefined &&
    bisect !== undefined &&
    report !== undefined;
  const spec: TableConsumesSpec | undefined = complete
    ? {
        table,
        batchSize,
        maximumBatchingWindowSeconds: window,
        startingPosition,
        maximumRetryAttempts: retries,
        maximumRecordAgeSeconds: recordAge,
        bisectBatchOnFunctionError: bisect,
        parallelizationFactor,
        ...(tumbling > 0 ? { tumblingWindowSeconds: tumbling } : {}),
        reportBatchItemFailures: report,
        ...(onFailure === undefined ? {} : { onFailure }),
        ...(filters === undefined ? {} : { filters }),
      }
    : undefined;
  return { path, table, onFailure, spec };
}

function readStartingPosition(
  issues: Issues,
  path: string,
  value: unknown,
): TableConsumesSpec["startingPosition"] | undefined {
  if (typeof value === "string" && POSITIONS.includes(value))
    return value as TableConsumesSpec["startingPosition"];
  issues.add(
    path,
    value,
    value === undefined
      ? "a stream's event source mapping needs a startingPosition (AWS requires it): read new records only, or every record the stream still keeps"
      : "startingPosition is where a new mapping starts reading the stream",
    `one of ${quoteList(POSITIONS)}`,
    `write startingPosition: "LATEST" (new records only) or "TRIM_HORIZON" (the last 24 hours too)`,
  );
  return undefined;
}

/** -1 (no limit), or a duration from 60 seconds to 7 days: Lambda refuses 0–59. */
function readRecordAge(issues: Issues, path: string, value: unknown): number | undefined {
  if (value === UNLIMITED) return UNLIMITED;
  if (typeof value === "number" || parseDuration(value) !== undefined) {
    return readDuration(issues, path, value, ESM.maximumRecordAge);
  }
  issues.add(
    path,
    value,
    "maximumRecordAge is not a duration",
    `-1 (no limit), or a duration from "${formatSeconds(ESM.maximumRecordAge.min)}" to "${formatSeconds(ESM.maximumRecordAge.max)}"`,
    `write it like maximumRecordAge: "1 hour"`,
  );
  return undefined;
}

/** The consumed table exists and has a stream; the on-failure destination is a standard queue. */
export function checkTableConsumers(
  issues: Issues,
  tables: ReadonlyMap<string, TableDraft>,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
  /** Queue names including the dead-letter queues Sluice generates, with whether each is FIFO. */
  queueFifo: ReadonlyMap<string, boolean | undefined>,
): void {
  for (const fn of functions.values()) {
    const consumes = fn.consumesTable;
    if (consumes === undefined) continue;
    if (consumes.table !== undefined) checkTable(issues, consumes, consumes.table, tables, queues);
    if (consumes.onFailure !== undefined) checkOnFailure(issues, consumes, consumes.onFailure, queueFifo);
  }
}

function checkTable(
  issues: Issues,
  consumes: TableConsumesDraft,
  name: string,
  tables: ReadonlyMap<string, TableDraft>,
  queues: ReadonlyMap<string, QueueDraft>,
): void {
  const path = join(consumes.path, "table");
  const table = tables.get(name);
  if (table === undefined) {
    const queue = queues.has(name);
    issues.add(
      path,
      name,
      queue
        ? `consumes table "${name}", which is a queue, not a table`
        : `consumes table "${name}", which is not a defined table.${didYouMean(name, tables.keys())}`,
      `one of the tables: ${quoteList(tables.keys())}`,
      queue
        ? `write consumes: { queue: "${name}" }`
        : `define tables["${name}"], or consume one of the defined tables`,
    );
    return;
  }
  if (table.stream !== undefined || table.spec === undefined) return;
  issues.add(
    path,
    name,
    `table "${name}" has no stream, so there is nothing for the function to consume`,
    "a table with a stream",
    `add stream: "NEW_AND_OLD_IMAGES" (or another view type) to tables["${name}"]`,
  );
}

function checkOnFailure(
  issues: Issues,
  consumes: TableConsumesDraft,
  name: string,
  queueFifo: ReadonlyMap<string, boolean | undefined>,
): void {
  const path = join(consumes.path, "onFailure");
  if (!queueFifo.has(name)) {
    issues.add(
      path,
      name,
      `the on-failure destination "${name}" is not a defined queue.${didYouMean(name, queueFifo.keys())}`,
      `one of the standard queues: ${quoteList([...queueFifo].filter(([, fifo]) => fifo === false).map(([q]) => q))}`,
      `define queues["${name}"], or name a defined standard queue`,
    );
    return;
  }
  if (queueFifo.get(name) !== true) return;
  issues.add(
    path,
    name,
    `the on-failure destination "${name}" is a FIFO queue; Lambda sends a stream's failure records only to a standard queue (or SNS topic)`,
    "a standard queue",
    `name a standard queue, or set fifo: false on "${name}"`,
  );
}
