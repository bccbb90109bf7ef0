/**
 * Which DynamoDB call a PartiQL statement is, as the developer guide describes each statement
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html and
 * ql-reference.insert.html, ql-reference.update.html, ql-reference.delete.html):
 * - SELECT with an equality on every key attribute and nothing else → GetItem; with an equality
 *   on the partition key → Query (a sort key condition into KeyConditionExpression, the rest into
 *   FilterExpression); otherwise → Scan with the whole WHERE clause as FilterExpression.
 * - INSERT → PutItem on condition that no item has the key (else DuplicateItemException).
 * - UPDATE → UpdateItem on condition that the item exists, and the WHERE clause's other conditions.
 * - DELETE → DeleteItem on condition of the WHERE clause's other conditions.
 */

import { newAttributeMap } from "../expressions/attribute-value.ts";
import type { AttributeValue, Item } from "../expressions/index.ts";
import { compileProjection, DynamoDbValidationError, Placeholders } from "../expressions/index.ts";
import type { DynamoDbServiceApi } from "../service-types.ts";
import type {
  DeleteStatement,
  InsertStatement,
  PartiqlCondition,
  Path,
  SelectStatement,
  Statement,
  UpdateStatement,
} from "./ast.ts";
import { at, attributeValue, type Parameters } from "./attribute-values.ts";
import { ExpressionBuilder } from "./expression-builder.ts";
import {
  attributeOf,
  checkKeyType,
  conjuncts,
  keyEquality,
  mentions,
  type TargetKeys,
  targetKeys,
} from "./table-keys.ts";

export interface ReadPlan {
  readonly kind: "read";
  readonly action: "GetItem" | "Query" | "Scan";
  readonly table: string;
  readonly input: Record<string, unknown>;
  /** The SELECT list's paths (undefined for `*`): each item is reshaped to PartiQL's result. */
  readonly projection?: readonly Path[];
}

export interface WritePlan {
  readonly kind: "write";
  readonly action: "PutItem" | "UpdateItem" | "DeleteItem";
  readonly table: string;
  readonly input: Record<string, unknown>;
  readonly insert: boolean;
  /** The key of the item written (BatchExecuteStatement refuses two statements on one item). */
  readonly key: Item;
}

export type Plan = ReadPlan | WritePlan;

const MISSING_KEY_EQUALITY = "Where clause does not contain a mandatory equality on all key attributes";

export function planStatement(service: DynamoDbServiceApi, tree: Statement, params: Parameters): Plan {
  switch (tree.type) {
    case "select":
      return planSelect(service, tree, params);
    case "insert":
      return planInsert(service, tree, params);
    case "update":
      return planUpdate(service, tree, params);
    case "delete":
      return planDelete(service, tree, params);
  }
}

function and(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] as string) : parts.map((part) => `(${part})`).join(" AND ");
}

function planSelect(service: DynamoDbServiceApi, tree: SelectStatement, params: Parameters): ReadPlan {
  const keys = targetKeys(service, tree.table, tree.index);
  const builder = new ExpressionBuilder(params);
  const base: Record<string, unknown> = {
    TableName: tree.table,
    ...(tree.index ? { IndexName: tree.index } : {}),
  };
  const projection = tree.projection === "*" ? undefined : tree.projection;
  if (projection !== undefined) checkProjection(projection, params);
  const conditions = conjuncts(tree.where);
  const hash = keyEquality(conditions, keys.hash, params);
  const range = keys.range === undefined ? undefined : keyEquality(conditions, keys.range, params);
  const fullKey = hash !== undefined && (keys.range === undefined || range !== undefined);
  const keyCount = keys.range === undefined ? 1 : 2;
  const withProjection = (plan: Omit<ReadPlan, "projection">): ReadPlan =>
    projection === undefined ? plan : { ...plan, projection };

  if (tree.index === undefined && fullKey && conditions.length === keyCount) {
    const Key = keyOf(keys, hash.value, range?.value);
    const input = { ...base, Key };
    return withProjection({
      kind: "read",
      action: "GetItem",
      table: tree.table,
      input: { ...input, ...builder.attributes() },
    });
  }
  if (hash !== undefined) {
    const rest = conditions.filter((condition) => condition !== hash.condition);
    const keyParts = [`${builder.name(keys.hash.name)} = ${builder.value(hash.value)}`];
    const sortCondition =
      keys.range === undefined ? undefined : rest.find((c) => isSortKeyCondition(c, keys.range?.name ?? ""));
    const filter = rest.filter((condition) => condition !== sortCondition);
    const keyNames = new Set([keys.hash.name, ...(keys.range ? [keys.range.name] : [])]);
    if (!mentions(filter, keyNames)) {
      if (sortCondition !== undefined) keyParts.push(builder.condition(sortCondition));
      const filterText = filter.length === 0 ? undefined : and(filter.map((c) => builder.condition(c)));
      const descending = tree.orderBy.some((order) => order.descending);
      const input = {
        ...base,
        KeyConditionExpression: and(keyParts),
        ...(filterText === undefined ? {} : { FilterExpression: filterText }),
        ...(descending ? { ScanIndexForward: false } : {}),
      };
      return withProjection({
        kind: "read",
        action: "Query",
        table: tree.table,
        input: { ...input, ...builder.attributes() },
      });
    }
  }
  // A full scan: also where the remaining conditions read a key attribute, which a Query's
  // FilterExpression may not (the same items, in the table's order rather than the sort key's).
  const scanBuilder = new ExpressionBuilder(params);
  const filter = tree.where === undefined ? {} : { FilterExpression: scanBuilder.condition(tree.where) };
  return withProjection({
    kind: "read",
    action: "Scan",
    table: tree.table,
    input: { ...base, ...filter, ...scanBuilder.attributes() },
  });
}

/**
 * The SELECT list's paths must not overlap, with the projection expression's message but without
 * its "Invalid ProjectionExpression: " prefix, as DynamoDB answers a statement. The engine reads
 * whole items and the result is shaped from them (results.ts): a projected list would be
 * compacted, losing the index PartiQL names the result by.
 */
function checkProjection(projection: readonly Path[], params: Parameters): void {
  const builder = new ExpressionBuilder(params);
  const text = projection.map((path) => builder.path(path)).join(", ");
  try {
    compileProjection(text, new Placeholders(builder.attributes()));
  } catch (error) {
    if (error instanceof DynamoDbValidationError) {
      throw new DynamoDbValidationError(error.message.replace(/^Invalid ProjectionExpression: /, ""));
    }
    throw error;
  }
}

/** A condition a KeyConditionExpression accepts on the sort key: =, <, <=, >, >=, BETWEEN, begins_with. */
function isSortKeyCondition(condition: PartiqlCondition, sortKey: string): boolean {
  if (condition.type === "compare") {
    if (condition.op === "<>") return false;
    return attributeOf(condition.left) === sortKey && condition.right.type === "value";
  }
  if (condition.type === "between") {
    return (
      attributeOf(condition.subject) === sortKey &&
      condition.low.type === "value" &&
      condition.high.type === "value"
    );
  }
  if (condition.type === "call" && condition.call.name.toLowerCase() === "begins_with") {
    const [subject, prefix] = condition.call.args;
    return subject !== undefined && attributeOf(subject) === sortKey && prefix?.type === "value";
  }
  return false;
}

function keyOf(keys: TargetKeys, hash: AttributeValue, range: AttributeValue | undefined): Item {
  const key = newAttributeMap();
  key[keys.hash.name] = hash;
  if (keys.range !== undefined && range !== undefined) key[keys.range.name] = range;
  return key;
}

function planInsert(service: DynamoDbServiceApi, tree: InsertStatement, params: Parameters): WritePlan {
  if (tree.returning !== undefined) throw new DynamoDbValidationError("RETURNING is not supported in INSERT");
  const keys = targetKeys(service, tree.table);
  if (tree.item.kind !== "tuple") {
    const where = "offset" in tree.item ? ` at ${at(params.statement, tree.item.offset, 1)}` : "";
    throw new DynamoDbValidationError(
      `Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.${where}`,
    );
  }
  const item = (attributeValue(tree.item, params) as { M: Item }).M;
  for (const key of [keys.hash, ...(keys.range ? [keys.range] : [])]) {
    const value = item[key.name];
    if (value === undefined) {
      throw new DynamoDbValidationError(`Key attribute should be present in the item: Key ${key.name}`);
    }
    checkKeyType(key, value);
  }
  const builder = new ExpressionBuilder(params);
  const input = {
    TableName: tree.table,
    Item: item,
    ConditionExpression: `attribute_not_exists(${builder.name(keys.hash.name)})`,
    ...builder.attributes(),
  };
  const key = keyOf(
    keys,
    item[keys.hash.name] as AttributeValue,
    keys.range ? item[keys.range.name] : undefined,
  );
  return { kind: "write", action: "PutItem", table: tree.table, input, insert: true, key };
}

/** The key a WHERE clause names by equality on every key attribute, and its other conditions. */
function keyAndRest(keys: TargetKeys, where: PartiqlCondition, params: Parameters) {
  const conditions = conjuncts(where);
  const hash = keyEquality(conditions, keys.hash, params);
  const range = keys.range === undefined ? undefined : keyEquality(conditions, keys.range, params);
  if (hash === undefined || (keys.range !== undefined && range === undefined)) {
    throw new DynamoDbValidationError(MISSING_KEY_EQUALITY);
  }
  const used = new Set<PartiqlCondition>([hash.condition, ...(range ? [range.condition] : [])]);
  return { Key: keyOf(keys, hash.value, range?.value), rest: conditions.filter((c) => !used.has(c)) };
}

function returnValues(tree: UpdateStatement | DeleteStatement): Record<string, string> {
  if (tree.returning === undefined) return {};
  const which = tree.returning.which === "ALL" ? "ALL" : "UPDATED";
  return { ReturnValues: `${which}_${tree.returning.image}` };
}

function planUpdate(service: DynamoDbServiceApi, tree: UpdateStatement, params: Parameters): WritePlan {
  const keys = targetKeys(service, tree.table);
  const { Key, rest } = keyAndRest(keys, tree.where, params);
  const builder = new ExpressionBuilder(params);
  const clauses: Record<"SET" | "REMOVE" | "ADD" | "DELETE", string[]> = {
    SET: [],
    REMOVE: [],
    ADD: [],
    DELETE: [],
  };
  for (const action of tree.clauses) {
    const path = builder.path(action.path);
    if (action.kind === "remove") {
      clauses.REMOVE.push(path);
      continue;
    }
    const value = action.value;
    const name = value.type === "function" ? value.name.toLowerCase() : "";
    // set_add / set_delete add members to or take them from a set: the ADD and DELETE actions.
    if ((name === "set_add" || name === "set_delete") && value.type === "function") {
      const members = value.args[1];
      if (members === undefined || value.args.length !== 2) {
        throw new DynamoDbValidationError(`Incorrect number of arguments for function: ${value.name}`);
      }
      clauses[name === "set_add" ? "ADD" : "DELETE"].push(`${path} ${builder.operand(members)}`);
      continue;
    }
    clauses.SET.push(`${path} = ${builder.setValue(value)}`);
  }
  const UpdateExpression = (Object.entries(clauses) as [string, string[]][])
    .filter(([, actions]) => actions.length > 0)
    .map(([clause, actions]) => `${clause} ${actions.join(", ")}`)
    .join(" ");
  const exists = `attribute_exists(${builder.name(keys.hash.name)})`;
  const condition = and([exists, ...rest.map((c) => builder.condition(c))]);
  const input = {
    TableName: tree.table,
    Key,
    UpdateExpression,
    ConditionExpression: condition,
    ...returnValues(tree),
    ...builder.attributes(),
  };
  return { kind: "write", action: "UpdateItem", table: tree.table, input, insert: false, key: Key };
}

function planDelete(service: DynamoDbServiceApi, tree: DeleteStatement, params: Parameters): WritePlan {
  const keys = targetKeys(service, tree.table);
  const { Key, rest } = keyAndRest(keys, tree.where, params);
  const builder = new ExpressionBuilder(params);
  const condition =
    rest.length === 0 ? {} : { ConditionExpression: and(rest.map((c) => builder.condition(c))) };
  const input = { TableName: tree.table, Key, ...condition, ...returnValues(tree), ...builder.attributes() };
  return { kind: "write", action: "DeleteItem", table: tree.table, input, insert: false, key: Key };
}
