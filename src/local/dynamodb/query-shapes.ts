/**
 * Query's preparation kept per request shape. A client sends the same Query over and over with
 * other values (`pk = :pk` for each player): everything but the values' contents decides what the
 * preparation finds (the read, its index, Select and projection, which key each placeholder
 * bounds, every refusal but the values' own). Preparing it again took a fifth of a Query's
 * engine time in `sluice dev` under issue 15's `bench dynamodb` (docs/benchmarks.md, session 18).
 *
 * A shape is kept only for a request whose preparation succeeded, so a request of the same shape
 * meets the same checks with the same outcome, except those that read the values:
 * - the values' own checks (well-formed, numbers): `placeholdersOf` runs for every request, in
 *   the order the full preparation runs it (after the table, whose index check the shape passed);
 * - the key condition's type checks: each value's type is part of the shape;
 * - BETWEEN's order of its bounds: a Query with BETWEEN is never kept.
 * A FilterExpression compiles its values into its tree, and an ExclusiveStartKey is checked
 * against the values, so Queries with either are prepared in full every time.
 *
 * Shapes hang off the table's metadata object: any change to the table (UpdateTable, tags, a
 * new table of the same name) saves a new object, and the old shapes go with the old object.
 */
import {
  type CompiledKeyCondition,
  compileKeyCondition,
  type SortKeyCondition,
} from "./expressions/index.ts";
import type { Input } from "./input.ts";
import { QUERY_EXPRESSIONS, type ReadRequest } from "./read-request.ts";
import { placeholdersOf } from "./request-expressions.ts";
import type { TableMeta } from "./table-meta.ts";

/** A prepared Query: its read and its key condition, bound to this request's values. */
export interface PreparedQuery {
  readonly request: ReadRequest;
  readonly condition: CompiledKeyCondition;
}

interface QueryShape {
  readonly request: ReadRequest;
  readonly expression: string;
  readonly partition: { readonly name: string; readonly ref: string };
  readonly sort?:
    | { readonly name: string; readonly op: Exclude<SortKeyCondition["op"], "BETWEEN">; readonly ref: string }
    | undefined;
}

/** Shapes kept per table; the oldest goes first, bounding memory as parse.ts's trees do. */
const SHAPES_KEPT = 200;
const shapesByTable = new WeakMap<TableMeta, Map<string, QueryShape>>();

/**
 * The members that decide a Query's preparation, as one string: every member it reads, each as
 * JSON (so `10` and `"10"` differ), and each value placeholder with its type but not its content.
 * Built from the request as it came, before any check, so it never throws; a malformed request
 * can share a kept request's string only if it differs in a value's content, which
 * `placeholdersOf` checks again. Undefined for a request that is never kept.
 */
function shapeKey(input: Input): string | undefined {
  if (input.FilterExpression != null || input.ExclusiveStartKey != null) return undefined;
  const values = input.ExpressionAttributeValues;
  let types = "";
  if (values !== null && typeof values === "object") {
    for (const [ref, value] of Object.entries(values)) {
      const type = value !== null && typeof value === "object" ? Object.keys(value).join(",") : typeof value;
      types += `${ref}=${type};`;
    }
  }
  return JSON.stringify([
    input.TableName,
    input.IndexName,
    input.KeyConditionExpression,
    input.ProjectionExpression,
    input.Select,
    input.Limit,
    input.ConsistentRead,
    input.ScanIndexForward,
    input.ReturnConsumedCapacity,
    input.ExpressionAttributeNames,
    types,
  ]);
}

/**
 * The request prepared from its kept shape, or undefined when none is kept. `table` is the table
 * as this request found it (the full preparation's first step, which the caller has run).
 */
export function preparedFromShape(table: TableMeta, input: Input): PreparedQuery | undefined {
  const key = shapeKey(input);
  return key === undefined ? undefined : fromShape(table, key, input);
}

/**
 * The Query prepared from its kept shape, or else by `prepare` (the full preparation), whose
 * shape is then kept when requests of its shape can reuse it. `table` as for preparedFromShape.
 */
export function prepareWithShapes(
  table: TableMeta,
  input: Input,
  prepare: () => PreparedQuery,
): PreparedQuery {
  const key = shapeKey(input);
  if (key === undefined) return prepare();
  const kept = fromShape(table, key, input);
  if (kept !== undefined) return kept;
  const prepared = prepare();
  keepShape(key, prepared);
  return prepared;
}

function fromShape(table: TableMeta, key: string, input: Input): PreparedQuery | undefined {
  const shape = shapesByTable.get(table)?.get(key);
  if (shape === undefined) return undefined;
  const placeholders = placeholdersOf(input, QUERY_EXPRESSIONS);
  const kind = "KeyConditionExpression";
  // Every name and value the shape's request defined was used (its preparation refused unused
  // ones), and this request defines the same ones: binding the values marks them all used.
  const partitionValue = placeholders.value(kind, shape.partition.ref);
  const sortValue = shape.sort === undefined ? undefined : placeholders.value(kind, shape.sort.ref);
  const request: ReadRequest = { ...shape.request, placeholders };
  let full: CompiledKeyCondition | undefined;
  const condition: CompiledKeyCondition = {
    expression: shape.expression,
    partitionKey: { name: shape.partition.name, value: partitionValue },
    sortKey:
      shape.sort === undefined || sortValue === undefined
        ? undefined
        : { name: shape.sort.name, condition: { op: shape.sort.op, value: sortValue } },
    // Only an ExclusiveStartKey is matched, and such a Query is not kept; compiled in full if asked.
    matches: (item) => {
      full ??= compileKeyCondition(shape.expression, placeholders, request.key);
      return full.matches(item);
    },
  };
  return { request, condition };
}

/** Keeps the shape of a Query prepared in full, when requests of its shape can reuse it. */
function keepShape(key: string, prepared: PreparedQuery): void {
  // Requests with a filter or a start key have no key (shapeKey), so they never come here.
  const { request, condition } = prepared;
  const sortCondition = condition.sortKey?.condition;
  if (sortCondition?.op === "BETWEEN") return;
  const partitionRef = request.placeholders.refOf(condition.partitionKey.value);
  const sortRef = sortCondition === undefined ? undefined : request.placeholders.refOf(sortCondition.value);
  if (partitionRef === undefined || (sortCondition !== undefined && sortRef === undefined)) return;
  let shapes = shapesByTable.get(request.table);
  if (shapes === undefined) {
    shapes = new Map();
    shapesByTable.set(request.table, shapes);
  }
  if (shapes.size >= SHAPES_KEPT) shapes.delete(shapes.keys().next().value as string);
  shapes.set(key, {
    request,
    expression: condition.expression,
    partition: { name: condition.partitionKey.name, ref: partitionRef },
    sort:
      sortCondition === undefined || sortRef === undefined || condition.sortKey === undefined
        ? undefined
        : { name: condition.sortKey.name, op: sortCondition.op, ref: sortRef },
  });
}
