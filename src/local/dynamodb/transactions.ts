/**
 * TransactWriteItems and TransactGetItems: all or nothing in one SQLite transaction. Every
 * action's condition is evaluated; if any fails the transaction is cancelled with one
 * CancellationReason per action, in order ("None" for the others). A ClientRequestToken makes
 * TransactWriteItems idempotent for 10 minutes on the clock.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */
import { createHash } from "node:crypto";
import { AwsError } from "../../model/errors.ts";
import { LIMITS } from "../../model/limits.ts";
import { Consumption, consumedCapacity, readUnits, writeConsumption } from "./capacity.ts";
import { type Engine, inTransaction } from "./engine.ts";
import { CONDITION_FAILED_MESSAGE, constraint, DynamoDbError, validation } from "./errors.ts";
import type { Item } from "./expressions/index.ts";
import { asObject, type Input, optList, optObject, optString, reqItem, tableNameOf } from "./input.ts";
import { capacityMode } from "./item-operations.ts";
import { itemSize } from "./item-size.ts";
import { encodeItemKey } from "./item-store.ts";
import { checkKey } from "./item-validation.ts";
import { placeholdersOf, projectionOf } from "./request-expressions.ts";
import type { TableMeta } from "./table-meta.ts";
import {
  evaluateWrite,
  prepareWrite,
  storeWrite,
  type WriteKind,
  type WriteRequest,
  type WriteResult,
} from "./write-request.ts";

const KINDS: readonly WriteKind[] = ["ConditionCheck", "Put", "Delete", "Update"];
const MAX_ITEMS = LIMITS.dynamodb.transactionItems.max;

function transactItems(input: Input): readonly unknown[] {
  const list = optList(input, "TransactItems");
  if (list === undefined) throw constraint("transactItems", undefined, "Member must not be null");
  if (list.length < 1)
    throw constraint("transactItems", "[]", "Member must have length greater than or equal to 1");
  if (list.length > MAX_ITEMS) {
    throw constraint(
      "transactItems",
      `[${list.length} items]`,
      `Member must have length less than or equal to ${MAX_ITEMS}`,
    );
  }
  return list;
}

function itemId(table: TableMeta, key: Item): string {
  const encoded = encodeItemKey(table, key);
  return `${table.name}/${encoded?.pk.toString("hex")}/${encoded?.sk.toString("hex")}`;
}

function checkDistinct(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length)
    throw validation("Transaction request cannot include multiple operations on one item");
}

function cancelled(reasons: readonly Record<string, unknown>[]): DynamoDbError {
  return new DynamoDbError(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(", ")}]`,
    { CancellationReasons: reasons },
  );
}

function requestHash(input: Input): string {
  const { ClientRequestToken: _token, ...rest } = input;
  return createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}

export function transactWriteItems(engine: Engine, input: Input): unknown {
  const mode = capacityMode(input);
  const token = optString(input, "ClientRequestToken");
  const tokenRow = LIMITS.dynamodb.clientRequestTokenLength;
  if (token !== undefined && (token.length < tokenRow.min || token.length > tokenRow.max)) {
    const bound =
      token.length < tokenRow.min
        ? `greater than or equal to ${tokenRow.min}`
        : `less than or equal to ${tokenRow.max}`;
    throw constraint("clientRequestToken", token, `Member must have length ${bound}`);
  }
  const requests = transactItems(input).map((raw) => {
    const entry = asObject(raw, "TransactWriteItem");
    const present = KINDS.filter((kind) => entry[kind] !== undefined && entry[kind] !== null);
    if (present.length !== 1) {
      throw validation("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    const kind = present[0] as WriteKind;
    return prepareWrite(engine, kind, optObject(entry, kind) as Input);
  });
  checkDistinct(requests.map((request) => itemId(request.table, request.key)));
  const transactionBytes = requests.reduce(
    (sum, request) => sum + (request.item === undefined ? 0 : itemSize(request.item)),
    0,
  );
  if (transactionBytes > LIMITS.dynamodb.transactionBytes.max) {
    throw validation("Transaction request size exceeds the maximum allowed size of 4 MB");
  }
  return inTransaction(engine, () => {
    const hash = token === undefined ? "" : requestHash(input);
    if (token !== undefined) {
      const now = engine.clock.now();
      engine.db.prepare("DELETE FROM ddb_transaction_tokens WHERE expires_at <= ?").run(now);
      const previous = engine.db
        .prepare("SELECT request_hash, response FROM ddb_transaction_tokens WHERE token = ?")
        .get(token) as { request_hash: string; response: string } | undefined;
      if (previous !== undefined) {
        if (previous.request_hash !== hash) {
          throw new DynamoDbError(
            "IdempotentParameterMismatchException",
            "Request parameters do not match the request associated with the given ClientRequestToken",
          );
        }
        return JSON.parse(previous.response) as unknown;
      }
    }
    const results = evaluateAll(engine, requests);
    const byTable = new Map<string, { table: TableMeta; consumption: Consumption }>();
    for (const [i, request] of requests.entries()) {
      const result = results[i] as WriteResult;
      storeWrite(engine, request, result);
      const entry = byTable.get(request.table.name) ?? {
        table: request.table,
        consumption: new Consumption(),
      };
      const next = request.kind === "ConditionCheck" ? undefined : result.next;
      const previous = request.kind === "ConditionCheck" ? undefined : result.previous;
      const consumption =
        request.kind === "ConditionCheck"
          ? checkConsumption(result.previous)
          : writeConsumption(request.table, previous, next);
      entry.consumption.add(consumption.scale(2));
      byTable.set(request.table.name, entry);
    }
    const out: Record<string, unknown> = {};
    if (mode !== undefined && mode !== "NONE") {
      out.ConsumedCapacity = [...byTable.values()].map(({ table, consumption }) =>
        consumedCapacity(table, mode, consumption),
      );
    }
    if (token !== undefined) {
      const minutes = LIMITS.dynamodb.clientRequestTokenMinutes.default;
      engine.db
        .prepare(
          "INSERT INTO ddb_transaction_tokens (token, request_hash, response, expires_at) VALUES (?, ?, ?, ?)",
        )
        .run(token, hash, JSON.stringify(out), engine.clock.now() + minutes * 60_000);
    }
    return out;
  });
}

/** A ConditionCheck costs a write unit for the item it reads. */
function checkConsumption(item: Item | undefined): Consumption {
  const consumption = new Consumption();
  consumption.table = Math.max(
    1,
    Math.ceil((item === undefined ? 0 : itemSize(item)) / LIMITS.dynamodb.writeUnitBytes.max),
  );
  return consumption;
}

/**
 * Every action's outcome, or the cancellation with all the reasons, in order. An action the
 * stored item makes invalid (an item grown past 400 KB, an operand of the wrong type) cancels the
 * transaction with a `ValidationError` reason, as AWS documents ("a similar validation error
 * occurs because of changes made by the transaction",
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html);
 * DynamoDB Local fails the request with a ValidationException instead.
 */
function evaluateAll(engine: Engine, requests: readonly WriteRequest[]): WriteResult[] {
  const results: WriteResult[] = [];
  const reasons: Record<string, unknown>[] = [];
  let failed = false;
  for (const request of requests) {
    try {
      results.push(evaluateWrite(engine, request));
      reasons.push({ Code: "None" });
    } catch (error) {
      failed = true;
      if (error instanceof DynamoDbError && error.code === "ConditionalCheckFailedException") {
        // DynamoDB ends a ConditionCheck's reason with a full stop, not a Put's, Update's or Delete's.
        const message =
          request.kind === "ConditionCheck" ? `${CONDITION_FAILED_MESSAGE}.` : CONDITION_FAILED_MESSAGE;
        reasons.push({ Code: "ConditionalCheckFailed", Message: message, ...error.fields });
      } else if (error instanceof AwsError && error.code === "ValidationException") {
        reasons.push({ Code: "ValidationError", Message: error.message });
      } else {
        throw error;
      }
    }
  }
  if (failed) throw cancelled(reasons);
  return results;
}

export function transactGetItems(engine: Engine, input: Input): unknown {
  const mode = capacityMode(input);
  const gets = transactItems(input).map((raw) => {
    const entry = asObject(raw, "TransactGetItem");
    const get = optObject(entry, "Get");
    if (get === undefined) throw constraint("transactItems.member.get", undefined, "Member must not be null");
    const table = engine.tables.get(tableNameOf(get));
    const placeholders = placeholdersOf(get, ["ProjectionExpression"]);
    const projection = projectionOf(get, placeholders);
    placeholders.assertAllUsed();
    return { table, key: checkKey(table, reqItem(get, "Key")), projection };
  });
  checkDistinct(gets.map((get) => itemId(get.table, get.key)));
  const byTable = new Map<string, { table: TableMeta; consumption: Consumption }>();
  const responses = gets.map((get) => {
    const item = engine.items.get(get.table, get.key);
    const entry = byTable.get(get.table.name) ?? { table: get.table, consumption: new Consumption() };
    entry.consumption.table += readUnits(item === undefined ? 0 : itemSize(item), true) * 2;
    byTable.set(get.table.name, entry);
    return item === undefined
      ? {}
      : { Item: get.projection === undefined ? item : get.projection.project(item) };
  });
  const out: Record<string, unknown> = { Responses: responses };
  if (mode !== undefined && mode !== "NONE") {
    out.ConsumedCapacity = [...byTable.values()].map(({ table, consumption }) =>
      consumedCapacity(table, mode, consumption),
    );
  }
  return out;
}
