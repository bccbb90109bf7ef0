/**
 * CreateTable, DescribeTable, ListTables, DeleteTable and UpdateTable (indexes, stream, billing,
 * deletion protection). Tables are ACTIVE at once: the local engine has nothing to provision,
 * so CreateTable answers CREATING (as AWS does) and DescribeTable already ACTIVE.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html
 */
import { randomUUID } from "node:crypto";
import type { StreamViewType } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import { type Engine, inTransaction, tableArn } from "./engine.ts";
import {
  constraint,
  DynamoDbError,
  invalidParameter,
  resourceInUse,
  resourceNotFound,
  validation,
} from "./errors.ts";
import {
  asObject,
  checkName,
  type Input,
  optBoolean,
  optInteger,
  optList,
  optObject,
  optString,
  tableNameOf,
} from "./input.ts";
import { RETENTION_MS } from "./streams/table-streams.ts";
import {
  attributeDefinitions,
  billingOf,
  indexOf,
  streamSpecification,
  tableDefinition,
} from "./table-definition.ts";
import { describeTable } from "./table-description.ts";
import type { StreamMeta, TableMeta } from "./table-meta.ts";
import { tagsOf } from "./table-tags.ts";

/** AWS's stream label: the creation time in ISO-8601 without the zone, e.g. 2026-12-06T04:56:33.565. */
function streamLabelAt(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, "");
}

/**
 * A new stream of the table at `arn`. Its label is the clock's millisecond unless `label` pins it;
 * a stream turned off and on again within one millisecond (a frozen clock) would otherwise get the
 * old stream's label and so its ARN, so the label moves on a millisecond past every label in `taken`.
 */
export function newStream(
  engine: Engine,
  arn: string,
  viewType: StreamViewType,
  label?: string,
  taken: readonly StreamMeta[] = [],
): StreamMeta {
  const now = engine.clock.now();
  let ms = now;
  while (label === undefined && taken.some((stream) => stream.label === streamLabelAt(ms))) ms += 1;
  const streamLabel = label ?? streamLabelAt(ms);
  return { viewType, label: streamLabel, arn: `${arn}/stream/${streamLabel}`, createdAt: now };
}

export function createTable(engine: Engine, input: Input): unknown {
  const name = tableNameOf(input);
  const definition = tableDefinition(input);
  const tags = tagsOf(optList(input, "Tags") ?? []);
  const deletionProtection = optBoolean(input, "DeletionProtectionEnabled") ?? false;
  const tableClass = optString(input, "TableClass");
  return inTransaction(engine, () => {
    if (engine.tables.find(name) !== undefined) throw resourceInUse(`Table already exists: ${name}`);
    const arn = tableArn(engine, name);
    const meta: TableMeta = {
      id: engine.tables.allocate(name),
      name,
      arn,
      tableId: randomUUID(),
      partitionKey: definition.partitionKey,
      sortKey: definition.sortKey,
      attributeDefinitions: definition.attributeDefinitions,
      indexes: definition.indexes,
      billingMode: definition.billingMode,
      provisioned: definition.provisioned,
      stream:
        definition.streamViewType === undefined
          ? undefined
          : newStream(engine, arn, definition.streamViewType),
      pastStreams: [],
      tags,
      deletionProtection,
      tableClass,
      createdAt: engine.clock.now(),
      defined: false,
    };
    engine.tables.save(meta);
    return { TableDescription: describeTable(engine, meta, "CREATING") };
  });
}

export function describeTableAction(engine: Engine, input: Input): unknown {
  return { Table: describeTable(engine, engine.tables.get(tableNameOf(input), true)) };
}

export function listTables(engine: Engine, input: Input): unknown {
  const start = optString(input, "ExclusiveStartTableName");
  if (start !== undefined) checkName("exclusiveStartTableName", start);
  const row = LIMITS.dynamodb.listTablesLimit;
  const limit = optInteger(input, "Limit") ?? row.default;
  if (limit < row.min)
    throw constraint("limit", limit, `Member must have value greater than or equal to ${row.min}`);
  if (limit > row.max)
    throw constraint("limit", limit, `Member must have value less than or equal to ${row.max}`);
  const names = engine.tables
    .all()
    .map((table) => table.name)
    .filter((name) => start === undefined || name > start);
  const page = names.slice(0, limit);
  return names.length > limit
    ? { TableNames: page, LastEvaluatedTableName: page.at(-1) }
    : { TableNames: page };
}

export function deleteTable(engine: Engine, input: Input): unknown {
  const name = tableNameOf(input);
  return inTransaction(engine, () => {
    const table = engine.tables.get(name, true);
    if (table.deletionProtection) {
      throw validation(
        "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
      );
    }
    const description = describeTable(engine, table, "DELETING");
    engine.items.dropTable(table);
    engine.tables.remove(table);
    return { TableDescription: description };
  });
}

/** Turns the stream on (a new stream, a new label) or off (kept readable for 24 hours). */
export function withStream(
  engine: Engine,
  table: TableMeta,
  viewType: StreamViewType | null,
  label?: string,
): TableMeta {
  const now = engine.clock.now();
  const past = table.pastStreams.filter((stream) => (stream.disabledAt ?? now) + RETENTION_MS > now);
  if (viewType === null) {
    if (table.stream === undefined) return { ...table, pastStreams: past };
    return { ...table, stream: undefined, pastStreams: [...past, { ...table.stream, disabledAt: now }] };
  }
  const replaced = table.stream === undefined ? past : [...past, { ...table.stream, disabledAt: now }];
  return { ...table, stream: newStream(engine, table.arn, viewType, label, replaced), pastStreams: replaced };
}

export function updateTable(engine: Engine, input: Input): unknown {
  const name = tableNameOf(input);
  return inTransaction(engine, () => {
    let table = engine.tables.get(name, true);
    let changed = false;
    const viewType = streamSpecification(input);
    if (viewType !== undefined) {
      if (viewType !== null && table.stream !== undefined) {
        throw validation(`Table already has an enabled stream: TableName: ${table.name}`);
      }
      if (viewType === null && table.stream === undefined) {
        throw validation(`Table already has a disabled stream: TableName: ${table.name}`);
      }
      table = withStream(engine, table, viewType);
      changed = true;
    }
    if (input.BillingMode !== undefined || input.ProvisionedThroughput !== undefined) {
      const billing = billingOf({
        BillingMode: input.BillingMode ?? table.billingMode,
        ProvisionedThroughput: input.ProvisionedThroughput,
      });
      table = { ...table, billingMode: billing.billingMode, provisioned: billing.provisioned };
      changed = true;
    }
    const protection = optBoolean(input, "DeletionProtectionEnabled");
    if (protection !== undefined) {
      table = { ...table, deletionProtection: protection };
      changed = true;
    }
    const updates = optList(input, "GlobalSecondaryIndexUpdates");
    if (updates !== undefined && updates.length > 0) {
      table = updateIndexes(engine, table, input, updates);
      changed = true;
    }
    if (!changed) {
      throw validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
      );
    }
    engine.tables.save(table);
    return { TableDescription: describeTable(engine, table, "UPDATING") };
  });
}

function updateIndexes(
  engine: Engine,
  table: TableMeta,
  input: Input,
  updates: readonly unknown[],
): TableMeta {
  const onlineChanges = updates.filter((raw) => {
    const update = asObject(raw, "GlobalSecondaryIndexUpdate");
    return update.Create !== undefined || update.Delete !== undefined;
  });
  if (onlineChanges.length > 1) {
    throw new DynamoDbError(
      "LimitExceededException",
      "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table",
    );
  }
  let next = table;
  for (const raw of updates) {
    const update = asObject(raw, "GlobalSecondaryIndexUpdate");
    const create = optObject(update, "Create");
    const remove = optObject(update, "Delete");
    if (create !== undefined) {
      const types = new Map(
        next.attributeDefinitions.map((entry) => [entry.AttributeName, entry.AttributeType]),
      );
      if (input.AttributeDefinitions !== undefined)
        for (const [attribute, type] of attributeDefinitions(input)) {
          const known = types.get(attribute);
          if (known !== undefined && known !== type) {
            throw invalidParameter(
              `Cannot change the type of attribute ${attribute} from ${known} to ${type}`,
            );
          }
          types.set(attribute, type);
        }
      const index = indexOf(create, "global", next, types, next.billingMode);
      if (next.indexes.some((existing) => existing.name === index.name)) {
        throw validation(`One or more parameter values were invalid: Index ${index.name} already exists`);
      }
      if (
        next.indexes.filter((existing) => existing.kind === "global").length >=
        LIMITS.dynamodb.globalSecondaryIndexes.max
      ) {
        throw new DynamoDbError(
          "LimitExceededException",
          `GlobalSecondaryIndex count exceeds the per-table limit of ${LIMITS.dynamodb.globalSecondaryIndexes.max}`,
        );
      }
      const used = new Set(
        [...keyAttributeNames(next), index.partitionKey.name, index.sortKey?.name].filter(
          (a): a is string => a !== undefined,
        ),
      );
      next = {
        ...next,
        indexes: [...next.indexes, index],
        attributeDefinitions: [...types]
          .filter(([attribute]) => used.has(attribute))
          .map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
      };
      engine.items.backfillIndex(next, index);
    } else if (remove !== undefined) {
      const indexName = optString(remove, "IndexName") ?? "";
      const index = next.indexes.find(
        (existing) => existing.name === indexName && existing.kind === "global",
      );
      if (index === undefined)
        throw resourceNotFound(`Requested resource not found: Index: ${indexName} not found`);
      const indexes = next.indexes.filter((existing) => existing !== index);
      const used = new Set(keyAttributeNames({ ...next, indexes }));
      next = {
        ...next,
        indexes,
        attributeDefinitions: next.attributeDefinitions.filter((entry) => used.has(entry.AttributeName)),
      };
      engine.items.dropIndex(next, indexName);
    } else if (update.Update === undefined) {
      throw invalidParameter("One of Create, Update or Delete is required in a GlobalSecondaryIndexUpdate");
    }
  }
  return next;
}

function keyAttributeNames(table: Pick<TableMeta, "partitionKey" | "sortKey" | "indexes">): string[] {
  return [
    table.partitionKey,
    table.sortKey,
    ...table.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ]
    .filter((attribute) => attribute !== undefined)
    .map((attribute) => attribute.name);
}
