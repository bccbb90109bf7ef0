/**
 * One item write (Put, Update, Delete) or ConditionCheck, prepared from its request and then
 * applied inside the caller's transaction. PutItem, UpdateItem, DeleteItem, BatchWriteItem and
 * TransactWriteItems all go through here, so a condition, an update and the item checks behave
 * the same in each.
 */

import type { Engine } from "./engine.ts";
import { conditionFailed, validation } from "./errors.ts";
import {
  type AttributeValue,
  type CompiledCondition,
  type CompiledUpdate,
  compileProjection,
  compileUpdate,
  type DocumentPath,
  type Item,
  Placeholders,
} from "./expressions/index.ts";
import { type Input, optEnum, optString, reqItem, tableNameOf } from "./input.ts";
import { keyOf } from "./item-store.ts";
import { checkAttributes, checkIndexKeys, checkItem, checkItemSize, checkKey } from "./item-validation.ts";
import { conditionOf, placeholdersOf } from "./request-expressions.ts";
import { keyNames, type TableMeta } from "./table-meta.ts";

export type WriteKind = "Put" | "Update" | "Delete" | "ConditionCheck";
export type ReturnValues = "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW";

const RETURN_VALUES: readonly ReturnValues[] = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"];
const ALLOWED: Readonly<Record<WriteKind, readonly ReturnValues[]>> = {
  Put: ["NONE", "ALL_OLD"],
  Delete: ["NONE", "ALL_OLD"],
  Update: RETURN_VALUES,
  ConditionCheck: ["NONE"],
};

export interface WriteRequest {
  readonly kind: WriteKind;
  readonly table: TableMeta;
  /** The item's key attributes. */
  readonly key: Item;
  readonly item?: Item | undefined;
  readonly update?: CompiledUpdate | undefined;
  readonly condition?: CompiledCondition | undefined;
  readonly returnValues: ReturnValues;
  readonly returnOnFailure: "NONE" | "ALL_OLD";
}

export interface WriteResult {
  readonly previous: Item | undefined;
  readonly next: Item | undefined;
}

/** Parses and checks one write request against its table (throws ValidationException). */
export function prepareWrite(engine: Engine, kind: WriteKind, input: Input): WriteRequest {
  const table = engine.tables.get(tableNameOf(input));
  const expressions =
    kind === "Update" ? ["UpdateExpression", "ConditionExpression"] : ["ConditionExpression"];
  const placeholders = placeholdersOf(input, expressions);
  const returnValues = optEnum(input, "ReturnValues", RETURN_VALUES) ?? "NONE";
  if (!ALLOWED[kind].includes(returnValues)) throw validation("Return values set to invalid value");
  const returnOnFailure =
    optEnum(input, "ReturnValuesOnConditionCheckFailure", ["NONE", "ALL_OLD"] as const) ?? "NONE";
  let key: Item;
  let item: Item | undefined;
  let update: CompiledUpdate | undefined;
  if (kind === "Put") {
    item = checkItem(table, reqItem(input, "Item"));
    key = keyOf(table, item);
  } else {
    key = checkKey(table, reqItem(input, "Key"));
  }
  if (kind === "Update") {
    const expression = optString(input, "UpdateExpression");
    if (expression !== undefined) update = compileUpdate(expression, placeholders, keyNames(table));
  }
  const condition = conditionOf(input, placeholders);
  if (kind === "ConditionCheck" && condition === undefined) {
    throw validation("The ConditionExpression parameter is required for a ConditionCheck");
  }
  placeholders.assertAllUsed();
  return { kind, table, key, item, update, condition, returnValues, returnOnFailure };
}

/** The item an update makes of `previous` (or of the bare key), checked as a written item is. */
function updated(request: WriteRequest, previous: Item | undefined): Item {
  const base = previous ?? request.key;
  // Numbers an update writes are kept in canonical form, as PutItem keeps them ("2.0" → "2").
  const next = request.update === undefined ? base : checkAttributes(request.update.apply(base));
  checkIndexKeys(request.table, next);
  checkItemSize(next);
  return next;
}

/** Checks the condition against the stored item and computes the item after the write. */
export function evaluateWrite(engine: Engine, request: WriteRequest): WriteResult {
  const previous = engine.items.get(request.table, request.key);
  if (request.condition !== undefined && !request.condition.evaluate(previous ?? {})) {
    throw conditionFailed(request.returnOnFailure === "ALL_OLD" ? previous : undefined);
  }
  switch (request.kind) {
    case "Put":
      return { previous, next: request.item };
    case "Update":
      return { previous, next: updated(request, previous) };
    case "Delete":
      return { previous, next: undefined };
    case "ConditionCheck":
      return { previous, next: previous };
  }
}

/** Stores what `evaluateWrite` computed (inside the caller's transaction). */
export function storeWrite(engine: Engine, request: WriteRequest, result: WriteResult): void {
  if (request.kind === "ConditionCheck") return;
  engine.items.write(request.table, result.previous, result.next);
}

/** The Attributes member ReturnValues asks for, or undefined. */
export function returnedAttributes(request: WriteRequest, result: WriteResult): Item | undefined {
  const paths = request.update?.paths ?? [];
  switch (request.returnValues) {
    case "NONE":
      return undefined;
    case "ALL_OLD":
      return result.previous;
    case "ALL_NEW":
      return result.next;
    case "UPDATED_OLD":
      return result.previous === undefined ? undefined : nonEmpty(projectPaths(result.previous, paths));
    case "UPDATED_NEW":
      return result.next === undefined ? undefined : nonEmpty(projectPaths(result.next, paths));
  }
}

function nonEmpty(item: Item): Item | undefined {
  return Object.keys(item).length === 0 ? undefined : item;
}

/** The parts of `item` at `paths` (what UPDATED_OLD and UPDATED_NEW return), through a projection. */
function projectPaths(item: Item, paths: readonly DocumentPath[]): Item {
  if (paths.length === 0) return {};
  const names: Record<string, string> = {};
  const texts = paths.map((path) =>
    path
      .map((step, i) => {
        if (typeof step === "number") return `[${step}]`;
        const alias = `#p${Object.keys(names).length}`;
        names[alias] = step;
        return i === 0 ? alias : `.${alias}`;
      })
      .join(""),
  );
  return compileProjection(texts.join(", "), new Placeholders({ ExpressionAttributeNames: names })).project(
    item,
  );
}

export type { AttributeValue };
