/**
 * BatchWriteItem and BatchGetItem. The whole batch is checked first (a bad request fails it
 * all), then applied in one transaction; the local engine never throttles, so UnprocessedItems
 * is always empty and UnprocessedKeys only holds keys beyond the 16 MB answer.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
import { LIMITS } from "../../model/limits.ts";
import { Consumption, consumedCapacity, readUnits, writeConsumption } from "./capacity.ts";
import { type Engine, inTransaction } from "./engine.ts";
import { constraint, validation } from "./errors.ts";
import type { Item } from "./expressions/index.ts";
import { asObject, checkName, type Input, optBoolean, optList, optObject } from "./input.ts";
import { capacityMode } from "./item-operations.ts";
import { itemSize } from "./item-size.ts";
import { encodeItemKey } from "./item-store.ts";
import { checkKey } from "./item-validation.ts";
import { placeholdersOf, projectionOf } from "./request-expressions.ts";
import type { TableMeta } from "./table-meta.ts";
import { evaluateWrite, prepareWrite, storeWrite, type WriteRequest } from "./write-request.ts";

function requestItems(input: Input, action: "BatchWriteItem" | "BatchGetItem"): [string, unknown][] {
  const items = optObject(input, "RequestItems");
  const entries = Object.entries(items ?? {});
  if (action === "BatchWriteItem" && entries.length === 0) {
    throw validation("BatchWriteItem cannot have a null or no requests set");
  }
  if (items === undefined) throw constraint("requestItems", undefined, "Member must not be null");
  if (entries.length === 0) {
    throw constraint("requestItems", "{}", "Member must have length greater than or equal to 1");
  }
  for (const [name] of entries) checkName("requestItems", name);
  return entries;
}

/** A key's identity within its table, to find duplicates. */
function identity(table: TableMeta, item: Item): string {
  const key = encodeItemKey(table, item);
  return key === undefined ? "" : `${key.pk.toString("hex")}/${key.sk.toString("hex")}`;
}

export function batchWriteItem(engine: Engine, input: Input): unknown {
  const mode = capacityMode(input);
  const entries = requestItems(input, "BatchWriteItem");
  const total = entries.reduce((sum, [, list]) => sum + (Array.isArray(list) ? list.length : 0), 0);
  if (total > LIMITS.dynamodb.batchWriteRequests.max)
    throw validation("Too many items requested for the BatchWriteItem call");
  const requests: WriteRequest[] = [];
  for (const [tableName, rawList] of entries) {
    if (!Array.isArray(rawList) || rawList.length === 0) {
      throw validation(`The batch write request list for a table cannot be null or empty: ${tableName}`);
    }
    const seen = new Set<string>();
    for (const raw of rawList) {
      const entry = asObject(raw, "WriteRequest");
      const put = optObject(entry, "PutRequest");
      const remove = optObject(entry, "DeleteRequest");
      if ((put === undefined) === (remove === undefined)) {
        throw validation("A WriteRequest must contain exactly one of PutRequest or DeleteRequest");
      }
      const request =
        put !== undefined
          ? prepareWrite(engine, "Put", { TableName: tableName, Item: put.Item })
          : prepareWrite(engine, "Delete", { TableName: tableName, Key: (remove as Input).Key });
      const id = identity(request.table, request.key);
      if (seen.has(id)) throw validation("Provided list of item keys contains duplicates");
      seen.add(id);
      requests.push(request);
    }
  }
  return inTransaction(engine, () => {
    const byTable = new Map<string, { table: TableMeta; consumption: Consumption }>();
    for (const request of requests) {
      const result = evaluateWrite(engine, request);
      storeWrite(engine, request, result);
      const entry = byTable.get(request.table.name) ?? {
        table: request.table,
        consumption: new Consumption(),
      };
      entry.consumption.add(writeConsumption(request.table, result.previous, result.next));
      byTable.set(request.table.name, entry);
    }
    const out: Record<string, unknown> = { UnprocessedItems: {} };
    if (mode !== undefined && mode !== "NONE") {
      out.ConsumedCapacity = [...byTable.values()].map(({ table, consumption }) =>
        consumedCapacity(table, mode, consumption),
      );
    }
    return out;
  });
}

export function batchGetItem(engine: Engine, input: Input): unknown {
  const mode = capacityMode(input);
  const entries = requestItems(input, "BatchGetItem");
  const plans = entries.map(([tableName, raw]) => {
    const request = asObject(raw, "KeysAndAttributes");
    const table = engine.tables.get(tableName);
    const keys = optList(request, "Keys");
    if (keys === undefined || keys.length === 0) {
      throw constraint(
        `requestItems.${tableName}.member.keys`,
        keys === undefined ? undefined : "[]",
        keys === undefined ? "Member must not be null" : "Member must have length greater than or equal to 1",
      );
    }
    const placeholders = placeholdersOf(request, ["ProjectionExpression"]);
    const projection = projectionOf(request, placeholders);
    placeholders.assertAllUsed();
    const checked = keys.map((key) => checkKey(table, asObject(key, "Key") as Item));
    const seen = new Set<string>();
    for (const key of checked) {
      const id = identity(table, key);
      if (seen.has(id)) throw validation("Provided list of item keys contains duplicates");
      seen.add(id);
    }
    return {
      tableName,
      table,
      request,
      keys: checked,
      projection,
      consistent: optBoolean(request, "ConsistentRead") ?? false,
    };
  });
  const total = plans.reduce((sum, plan) => sum + plan.keys.length, 0);
  if (total > LIMITS.dynamodb.batchGetKeys.max)
    throw validation("Too many items requested for the BatchGetItem call");
  const limit = LIMITS.dynamodb.batchGetBytes.max;
  let bytes = 0;
  // Keyed by the wire's table names: a Map, then own properties, so a table named `__proto__`
  // (a valid name) is answered like any other instead of setting the object's prototype.
  const responses = new Map<string, Item[]>();
  const unprocessed = new Map<string, unknown>();
  const capacities: unknown[] = [];
  for (const plan of plans) {
    const found: Item[] = [];
    const left: Item[] = [];
    const consumption = new Consumption();
    for (const key of plan.keys) {
      if (bytes >= limit) {
        left.push(key);
        continue;
      }
      const item = engine.items.get(plan.table, key);
      const size = item === undefined ? 0 : itemSize(item);
      bytes += size;
      consumption.table += readUnits(size, plan.consistent);
      if (item !== undefined)
        found.push(plan.projection === undefined ? item : plan.projection.project(item));
    }
    responses.set(plan.tableName, found);
    if (left.length > 0) unprocessed.set(plan.tableName, { ...plan.request, Keys: left });
    if (mode !== undefined && mode !== "NONE")
      capacities.push(consumedCapacity(plan.table, mode, consumption));
  }
  const out: Record<string, unknown> = {
    Responses: Object.fromEntries(responses),
    UnprocessedKeys: Object.fromEntries(unprocessed),
  };
  if (capacities.length > 0) out.ConsumedCapacity = capacities;
  return out;
}
