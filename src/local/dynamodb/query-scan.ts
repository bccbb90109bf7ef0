/**
 * Query and Scan over the stored items. A Query is a range scan of the table's (or index's)
 * sort key under one partition key; a Scan walks partition-key hashes in order (a parallel Scan's
 * segment is a range of hashes). Both stop at Limit items or once 1 MB of items has been read,
 * counting items before the FilterExpression, and then answer LastEvaluatedKey, as DynamoDB does.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
 */
import { LIMITS } from "../../model/limits.ts";
import { Consumption, consumedCapacity, readUnits } from "./capacity.ts";
import { type Engine, statement } from "./engine.ts";
import { constraint, validation } from "./errors.ts";
import {
  type AttributeValue,
  compareScalars,
  compileKeyCondition,
  type Item,
  type SortKeyCondition,
} from "./expressions/index.ts";
import { projectForIndex } from "./index-projection.ts";
import { type Input, optInteger, optString, tableNameOf } from "./input.ts";
import { itemSize } from "./item-size.ts";
import { encodeItemKey, keyOf, parseItem } from "./item-store.ts";
import { encodeKey, partitionHash, segmentRange } from "./key-encoding.ts";
import { type PreparedQuery, prepareWithShapes } from "./query-shapes.ts";
import { prepareRead, type ReadRequest } from "./read-request.ts";
import type { DynamoDbCallContext } from "./service-types.ts";
import { StoredItemText } from "./stored-item-text.ts";
import { keyNames } from "./table-meta.ts";

const PAGE_BYTES = LIMITS.dynamodb.pageSize.max;

interface Row {
  readonly item: string;
  /** The stored item's size (item-size.ts), kept with it so a page is measured without recomputing. */
  readonly size: number;
}

/** The smallest byte string greater than every string starting with `prefix`, or undefined. */
function prefixEnd(prefix: Buffer): Buffer | undefined {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

function describe(value: AttributeValue): string {
  const [type, inner] = Object.entries(value)[0] as [string, unknown];
  return `{${type}:${String(inner)}}`;
}

/** SQL conditions (and their parameters) on the sort-key column for a key condition. */
function sortRange(
  column: string,
  condition: SortKeyCondition | undefined,
  type: "S" | "N" | "B",
): [string[], Buffer[]] {
  if (condition === undefined) return [[], []];
  const encode = (value: AttributeValue) => encodeKey(value, type);
  switch (condition.op) {
    case "=":
      return [[`${column} = ?`], [encode(condition.value)]];
    case "<":
    case "<=":
    case ">":
    case ">=":
      return [[`${column} ${condition.op} ?`], [encode(condition.value)]];
    case "BETWEEN": {
      if ((compareScalars(condition.low, condition.high) ?? 0) > 0) {
        throw validation(
          `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: ${describe(condition.low)}, upper bound operand: AttributeValue: ${describe(condition.high)}`,
        );
      }
      return [
        [`${column} >= ?`, `${column} <= ?`],
        [encode(condition.low), encode(condition.high)],
      ];
    }
    case "begins_with": {
      const prefix = encode(condition.value);
      const end = prefixEnd(prefix);
      return end === undefined
        ? [[`${column} >= ?`], [prefix]]
        : [
            [`${column} >= ?`, `${column} < ?`],
            [prefix, end],
          ];
    }
  }
}

interface Page {
  readonly rows: Iterable<Row>;
}

/**
 * Walks rows, applying Limit, the 1 MB page, the filter and the projection; builds the answer.
 * With `asText` (the wire's call), an item answered whole goes out as its stored text; an item
 * nothing needs to look into (no filter, no projection) is not even parsed.
 */
function collect(request: ReadRequest, page: Page, asText: boolean): Record<string, unknown> {
  const items: (Item | StoredItemText)[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  let lastText: string | undefined;
  let stopped = false;
  const unread =
    asText &&
    request.filter === undefined &&
    answersStored(request) &&
    (request.index === undefined || request.index.projection.type === "ALL");
  for (const row of page.rows) {
    scanned += 1;
    if (unread) {
      bytes += row.size;
      lastText = row.item;
      items.push(new StoredItemText(row.item));
    } else {
      const stored = parseItem(row.item);
      const visible =
        request.index !== undefined && request.index.kind === "global"
          ? projectForIndex(request.table, request.index, stored)
          : stored;
      bytes +=
        request.index === undefined || request.index.projection.type === "ALL"
          ? row.size
          : itemSize(projectForIndex(request.table, request.index, stored));
      last = stored;
      if (request.filter === undefined || request.filter.evaluate(visible)) {
        const shaped = shape(request, visible, stored);
        items.push(asText && shaped === stored ? new StoredItemText(row.item) : shaped);
      }
    }
    if ((request.limit !== undefined && scanned >= request.limit) || bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
  }
  // Only a page that stopped short needs its last item's key.
  if (stopped && lastText !== undefined) last = parseItem(lastText);
  const out: Record<string, unknown> = {};
  if (request.select !== "COUNT") out.Items = items;
  out.Count = items.length;
  out.ScannedCount = scanned;
  if (stopped && last !== undefined) out.LastEvaluatedKey = lastKey(request, last);
  const consumption = new Consumption();
  const units = readUnits(bytes, request.consistent);
  if (request.index === undefined) consumption.table = units;
  else consumption.indexes.set(request.index.name, units);
  const capacity = consumedCapacity(request.table, request.capacity, consumption);
  if (capacity !== undefined) out.ConsumedCapacity = capacity;
  return out;
}

/** Whether `shape` answers the stored item itself. */
function answersStored(request: ReadRequest): boolean {
  return (
    request.select === "ALL_ATTRIBUTES" ||
    (request.select === "ALL_PROJECTED_ATTRIBUTES" && request.index === undefined)
  );
}

function shape(request: ReadRequest, visible: Item, stored: Item): Item {
  const index = request.index;
  switch (request.select) {
    case "COUNT":
      return visible;
    case "ALL_ATTRIBUTES":
      return stored;
    case "ALL_PROJECTED_ATTRIBUTES":
      return index === undefined ? stored : projectForIndex(request.table, index, stored);
    case "SPECIFIC_ATTRIBUTES":
      // A local index fetches attributes it does not project from the table; a global one cannot.
      return request.projection?.project(index?.kind === "global" ? visible : stored) ?? visible;
  }
}

function lastKey(request: ReadRequest, item: Item): Item {
  const names = new Set([
    ...keyNames(request.table),
    ...(request.index === undefined ? [] : keyNames(request.index)),
  ]);
  const out = keyOf(request.table, item) as Record<string, AttributeValue>;
  for (const name of names) if (item[name] !== undefined) out[name] = item[name] as AttributeValue;
  return out;
}

/** A Query's read and key condition, checked as DynamoDB checks them. */
function prepareQuery(engine: Engine, input: Input): PreparedQuery {
  const request = prepareRead(engine, input, "Query");
  const keyCondition = optString(input, "KeyConditionExpression");
  if (keyCondition === undefined) {
    throw validation(
      "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.",
    );
  }
  const condition = compileKeyCondition(keyCondition, request.placeholders, request.key);
  refuseKeysInFilter(request);
  request.placeholders.assertAllUsed();
  return { request, condition };
}

export function query(engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown {
  // The table first, as the full preparation checks it first; then a kept shape, if any (query-shapes.ts).
  const table = engine.tables.get(tableNameOf(input));
  const { request, condition } = prepareWithShapes(table, input, () => prepareQuery(engine, input));
  const forward = input.ScanIndexForward !== false;
  const sortType = request.key.sortKey?.type ?? "S";
  const partition = encodeKey(condition.partitionKey.value, request.key.partitionKey.type);
  const [where, params] = sortRange(
    request.index === undefined ? "sk" : "e.isk",
    condition.sortKey?.condition,
    sortType,
  );
  const order = forward ? "ASC" : "DESC";
  const beyond = forward ? ">" : "<";
  if (request.startKey !== undefined) {
    const start = request.startKey;
    if (
      !equalsPartition(start[request.key.partitionKey.name], condition.partitionKey.value) ||
      !condition.matches(start)
    ) {
      throw validation("The provided starting key is outside query boundaries based on provided conditions");
    }
  }
  const startTable =
    request.startKey === undefined ? undefined : encodeItemKey(request.table, request.startKey);
  let rows: Iterable<Row>;
  if (request.index === undefined) {
    const start = startTable === undefined ? [] : [`sk ${beyond} ?`];
    rows = statement(
      engine.db,
      `SELECT item, size FROM ddb_items WHERE table_id = ? AND hash = ? AND pk = ? ${[...where, ...start].map((c) => `AND ${c}`).join(" ")} ORDER BY sk ${order}`,
    ).iterate(
      request.table.id,
      partitionHash(partition),
      partition,
      ...params,
      ...(startTable === undefined ? [] : [startTable.sk]),
    ) as Iterable<Row>;
  } else {
    const startIndex =
      request.startKey === undefined ? undefined : encodeItemKey(request.index, request.startKey);
    const start = startTable === undefined ? [] : [`(e.isk, e.pk, e.sk) ${beyond} (?, ?, ?)`];
    rows = statement(
      engine.db,
      `SELECT i.item, i.size FROM ddb_index_entries e JOIN ddb_items i ON i.table_id = e.table_id AND i.hash = e.item_hash AND i.pk = e.pk AND i.sk = e.sk
         WHERE e.table_id = ? AND e.index_name = ? AND e.ipk = ? ${[...where, ...start].map((c) => `AND ${c}`).join(" ")}
         ORDER BY e.isk ${order}, e.pk ${order}, e.sk ${order}`,
    ).iterate(
      request.table.id,
      request.index.name,
      partition,
      ...params,
      ...(startTable === undefined || startIndex === undefined
        ? []
        : [startIndex.sk, startTable.pk, startTable.sk]),
    ) as Iterable<Row>;
  }
  return collect(request, { rows }, context.itemsAsText === true);
}

/** The attribute names a condition's paths start with (its tree, walked whatever its node types). */
function attributesIn(tree: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(tree)) {
    for (const element of tree) attributesIn(element, found);
  } else if (tree !== null && typeof tree === "object") {
    const node = tree as { type?: unknown; path?: unknown };
    if (node.type === "path" && Array.isArray(node.path) && typeof node.path[0] === "string")
      found.add(node.path[0]);
    else for (const value of Object.values(node)) attributesIn(value, found);
  }
  return found;
}

/** A Query's FilterExpression may not name the key it queries by, as DynamoDB refuses it. */
function refuseKeysInFilter(request: ReadRequest): void {
  if (request.filter === undefined) return;
  const named = attributesIn(request.filter.tree, new Set());
  const key = keyNames(request.key).find((name) => named.has(name));
  if (key !== undefined) {
    throw validation(
      `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${key}`,
    );
  }
}

function equalsPartition(a: AttributeValue | undefined, b: AttributeValue): boolean {
  return a !== undefined && compareScalars(a, b) === 0;
}

export function scan(engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown {
  const request = prepareRead(engine, input, "Scan");
  request.placeholders.assertAllUsed();
  const [low, high] = segmentOf(input);
  const startTable =
    request.startKey === undefined ? undefined : encodeItemKey(request.table, request.startKey);
  const startWalk = request.startKey === undefined ? undefined : encodeItemKey(request.key, request.startKey);
  let startHash: number | undefined;
  if (startWalk !== undefined) {
    startHash = partitionHash(startWalk.pk);
    if (startHash < low || startHash >= high)
      throw validation("The provided Exclusive start key does not map to the provided segment");
  }
  let rows: Iterable<Row>;
  if (request.index === undefined) {
    const start = startTable === undefined ? "" : "AND (hash, pk, sk) > (?, ?, ?)";
    rows = statement(
      engine.db,
      `SELECT item, size FROM ddb_items WHERE table_id = ? AND hash >= ? AND hash < ? ${start} ORDER BY hash, pk, sk`,
    ).iterate(
      request.table.id,
      low,
      high,
      ...(startTable === undefined ? [] : [startHash, startTable.pk, startTable.sk]),
    ) as Iterable<Row>;
  } else {
    const start = startTable === undefined ? "" : "AND (e.hash, e.ipk, e.isk, e.pk, e.sk) > (?, ?, ?, ?, ?)";
    rows = statement(
      engine.db,
      `SELECT i.item, i.size FROM ddb_index_entries e JOIN ddb_items i ON i.table_id = e.table_id AND i.hash = e.item_hash AND i.pk = e.pk AND i.sk = e.sk
         WHERE e.table_id = ? AND e.index_name = ? AND e.hash >= ? AND e.hash < ? ${start}
         ORDER BY e.hash, e.ipk, e.isk, e.pk, e.sk`,
    ).iterate(
      request.table.id,
      request.index.name,
      low,
      high,
      ...(startTable === undefined || startWalk === undefined
        ? []
        : [startHash, startWalk.pk, startWalk.sk, startTable.pk, startTable.sk]),
    ) as Iterable<Row>;
  }
  return collect(request, { rows }, context.itemsAsText === true);
}

/** Segment and TotalSegments as the range of partition-key hashes they cover. */
function segmentOf(input: Input): readonly [number, number] {
  const segment = optInteger(input, "Segment");
  const total = optInteger(input, "TotalSegments");
  if (segment === undefined && total === undefined) return [0, 2 ** 32];
  if (total === undefined) throw validation("If segment is specified, total segment must also be specified");
  if (segment === undefined)
    throw validation(
      "If total segments is specified, a particular segment must also be specified for this request",
    );
  const row = LIMITS.dynamodb.parallelScanSegments;
  if (total < row.min)
    throw constraint("totalSegments", total, `Member must have value greater than or equal to ${row.min}`);
  if (total > row.max)
    throw constraint("totalSegments", total, `Member must have value less than or equal to ${row.max}`);
  if (segment < 0) throw constraint("segment", segment, "Member must have value greater than or equal to 0");
  if (segment >= total) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
    );
  }
  return segmentRange(segment, total);
}
