/**
 * PutItem, GetItem, UpdateItem and DeleteItem: each one SQLite transaction, committed before the
 * answer; over the wire a write is answered first and committed right after (answered-writes.ts).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html
 */

import { type CapacityMode, Consumption, consumedCapacity, readUnits, writeConsumption } from "./capacity.ts";
import { type Engine, inTransaction } from "./engine.ts";
import type { Item } from "./expressions/index.ts";
import { type Input, optBoolean, optEnum, reqItem, tableNameOf } from "./input.ts";
import { itemSize } from "./item-size.ts";
import { checkKey } from "./item-validation.ts";
import { placeholdersOf, projectionOf } from "./request-expressions.ts";
import type { DynamoDbCallContext } from "./service-types.ts";
import { StoredItemText } from "./stored-item-text.ts";
import {
  evaluateWrite,
  prepareWrite,
  returnedAttributes,
  storeWrite,
  type WriteKind,
  type WriteRequest,
  type WriteResult,
} from "./write-request.ts";

const CAPACITY = ["INDEXES", "TOTAL", "NONE"] as const;

export function capacityMode(input: Input): CapacityMode | undefined {
  return optEnum(input, "ReturnConsumedCapacity", CAPACITY);
}

function answer(
  attributes: Item | undefined,
  capacity: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (attributes !== undefined) out.Attributes = attributes;
  if (capacity !== undefined) out.ConsumedCapacity = capacity;
  return out;
}

function write(engine: Engine, kind: WriteKind, input: Input, context: DynamoDbCallContext): unknown {
  const mode = capacityMode(input);
  optEnum(input, "ReturnItemCollectionMetrics", ["SIZE", "NONE"] as const);
  const request = prepareWrite(engine, kind, input);
  const { answered } = engine;
  const { afterAnswer } = context;
  if (answered === undefined || afterAnswer === undefined) {
    return inTransaction(engine, () => {
      const result = evaluateWrite(engine, request);
      storeWrite(engine, request, result);
      return writeAnswer(request, result, mode);
    });
  }
  // Answered before its commit (answered-writes.ts). A write answered earlier whose commit failed
  // was committed before this call began (DynamoDbService.execute), so its condition sees it.
  const result = evaluateWrite(engine, request);
  const output = writeAnswer(request, result, mode);
  answered.hold(request.table, result.previous, result.next);
  afterAnswer(() => answered.commit(engine));
  return output;
}

function writeAnswer(request: WriteRequest, result: WriteResult, mode: CapacityMode | undefined): unknown {
  const capacity =
    mode === undefined || mode === "NONE"
      ? undefined
      : consumedCapacity(request.table, mode, writeConsumption(request.table, result.previous, result.next));
  return answer(returnedAttributes(request, result), capacity);
}

export const putItem = (engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown =>
  write(engine, "Put", input, context);
export const updateItem = (engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown =>
  write(engine, "Update", input, context);
export const deleteItem = (engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown =>
  write(engine, "Delete", input, context);

export function getItem(engine: Engine, input: Input, context: DynamoDbCallContext = {}): unknown {
  const table = engine.tables.get(tableNameOf(input));
  const placeholders = placeholdersOf(input, ["ProjectionExpression"]);
  const projection = projectionOf(input, placeholders);
  placeholders.assertAllUsed();
  const key = checkKey(table, reqItem(input, "Key"));
  const consistent = optBoolean(input, "ConsistentRead") ?? false;
  const mode = capacityMode(input);
  if (context.itemsAsText === true && projection === undefined && (mode === undefined || mode === "NONE")) {
    // The wire's plain GetItem: the stored text goes out as it is (stored-item-text.ts).
    const text = engine.items.getText(table, key);
    return text === undefined ? {} : { Item: new StoredItemText(text) };
  }
  const item = engine.items.get(table, key);
  const out: Record<string, unknown> = {};
  if (item !== undefined) out.Item = projection === undefined ? item : projection.project(item);
  // The item's size only matters to ConsumedCapacity, which most calls do not ask for.
  if (mode === undefined || mode === "NONE") return out;
  const consumption = new Consumption();
  consumption.table = readUnits(item === undefined ? 0 : itemSize(item), consistent);
  const capacity = consumedCapacity(table, mode, consumption);
  if (capacity !== undefined) out.ConsumedCapacity = capacity;
  return out;
}
