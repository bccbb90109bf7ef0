/**
 * DescribeTable's TableDescription, in the shape and order DynamoDB answers it: TableStatus
 * ACTIVE at once (the local engine has no provisioning to wait for), epoch-second timestamps.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html
 */
import type { Engine } from "./engine.ts";
import { type IndexMeta, keySchemaOf, type TableMeta } from "./table-meta.ts";

function seconds(ms: number): number {
  return ms / 1000;
}

function throughput(provisioned: { read: number; write: number } | undefined) {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: provisioned?.read ?? 0,
    WriteCapacityUnits: provisioned?.write ?? 0,
  };
}

function indexCounts(engine: Engine, table: TableMeta, index: IndexMeta): { count: number; size: number } {
  const row = engine.db
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(i.size), 0) AS size FROM ddb_index_entries e
       JOIN ddb_items i ON i.table_id = e.table_id AND i.hash = e.item_hash AND i.pk = e.pk AND i.sk = e.sk
       WHERE e.table_id = ? AND e.index_name = ?`,
    )
    .get(table.id, index.name) as { count: number; size: number };
  return row;
}

function projection(index: IndexMeta) {
  return index.projection.type === "INCLUDE"
    ? { ProjectionType: "INCLUDE", NonKeyAttributes: [...(index.projection.nonKeyAttributes ?? [])] }
    : { ProjectionType: index.projection.type };
}

function describeIndex(engine: Engine, table: TableMeta, index: IndexMeta, status = "ACTIVE") {
  const counts = indexCounts(engine, table, index);
  const common = {
    IndexName: index.name,
    KeySchema: keySchemaOf(index),
    Projection: projection(index),
  };
  const tail = {
    IndexSizeBytes: counts.size,
    ItemCount: counts.count,
    IndexArn: `${table.arn}/index/${index.name}`,
  };
  return index.kind === "global"
    ? {
        ...common,
        IndexStatus: status,
        // An on-demand table's global indexes have no throughput of their own.
        ...(table.billingMode === "PROVISIONED"
          ? { ProvisionedThroughput: throughput(index.provisioned) }
          : {}),
        ...tail,
      }
    : { ...common, ...tail };
}

export function describeTable(engine: Engine, table: TableMeta, status = "ACTIVE"): Record<string, unknown> {
  const counts = engine.tables.counts(table);
  const description: Record<string, unknown> = {
    AttributeDefinitions: table.attributeDefinitions.map((entry) => ({ ...entry })),
    TableName: table.name,
    KeySchema: keySchemaOf(table),
    TableStatus: status,
    CreationDateTime: seconds(table.createdAt),
    ProvisionedThroughput: throughput(table.provisioned),
    TableSizeBytes: counts.sizeBytes,
    ItemCount: counts.itemCount,
    TableArn: table.arn,
    TableId: table.tableId,
  };
  if (table.billingMode === "PAY_PER_REQUEST") {
    description.BillingModeSummary = {
      BillingMode: "PAY_PER_REQUEST",
      LastUpdateToPayPerRequestDateTime: seconds(table.createdAt),
    };
  }
  const globals = table.indexes.filter((index) => index.kind === "global");
  const locals = table.indexes.filter((index) => index.kind === "local");
  if (locals.length > 0)
    description.LocalSecondaryIndexes = locals.map((index) => describeIndex(engine, table, index));
  if (globals.length > 0)
    description.GlobalSecondaryIndexes = globals.map((index) => describeIndex(engine, table, index));
  if (table.stream !== undefined) {
    description.StreamSpecification = { StreamEnabled: true, StreamViewType: table.stream.viewType };
  }
  const latest = table.stream ?? table.pastStreams.at(-1);
  if (latest !== undefined) {
    description.LatestStreamLabel = latest.label;
    description.LatestStreamArn = latest.arn;
  }
  if (table.global === true) {
    // A replica of a version 2019.11.21 global table names the other replicas
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_versions.html).
    description.GlobalTableVersion = "2019.11.21";
    if (table.replicaRegions !== undefined && table.replicaRegions.length > 0)
      description.Replicas = table.replicaRegions.map((RegionName) => ({
        RegionName,
        ReplicaStatus: "ACTIVE",
      }));
  }
  if (table.tableClass !== undefined) description.TableClassSummary = { TableClass: table.tableClass };
  description.DeletionProtectionEnabled = table.deletionProtection;
  return description;
}
