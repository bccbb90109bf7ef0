/**
 * A region's deployed DynamoDB tables and the event source mappings on their streams, as the
 * AppSpec the region's cloud runs: each table keyed by its physical name (unique per account and
 * region, as on AWS), with the stream label its CloudFormation provider answered, so the engine
 * keeps the stream ARN the stack handed out; each stream mapping as its function's consumesTable,
 * Lambda's defaults where the template left a setting out
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html).
 */
import type {
  KeyAttributeSpec,
  StreamViewType,
  TableConsumesSpec,
  TableIndexSpec,
  TableSpec,
} from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import { isStreamArn, STREAM_LABEL_ATTRIBUTE } from "../cloudformation/index.ts";
import {
  type DeployedResource,
  list,
  num,
  obj,
  type Props,
  type ResourceIndex,
  str,
} from "./deployed-resources.ts";
import { GLOBAL_REPLICA_ATTRIBUTE } from "./translate-global-tables.ts";

const TABLE_TYPE = "AWS::DynamoDB::Table";

export function translateTables(index: ResourceIndex): Record<string, TableSpec> | undefined {
  const deployed = index.of(TABLE_TYPE);
  if (deployed.length === 0) return undefined;
  const tables: Record<string, TableSpec> = {};
  for (const resource of deployed) {
    const table = tableSpec(resource);
    tables[table.name] = table;
  }
  return tables;
}

function tableSpec(resource: DeployedResource): TableSpec {
  const p = resource.properties;
  const name = resource.physicalId;
  const types = new Map(
    list(p.AttributeDefinitions).map((d) => [
      str(obj(d).AttributeName) ?? "",
      str(obj(d).AttributeType) ?? "S",
    ]),
  );
  const [partitionKey, sortKey] = keys(p.KeySchema, types);
  const indexes: Record<string, TableIndexSpec> = {};
  for (const [kind, key] of [
    ["global", "GlobalSecondaryIndexes"],
    ["local", "LocalSecondaryIndexes"],
  ] as const) {
    for (const raw of list(p[key])) {
      const index = indexSpec(obj(raw), kind, types);
      indexes[index.name] = index;
    }
  }
  const stream = str(obj(p.StreamSpecification).StreamViewType) as StreamViewType | undefined;
  const label = str(resource.attributes[STREAM_LABEL_ATTRIBUTE]);
  const ttl = obj(p.TimeToLiveSpecification);
  const ttlAttribute = isTrue(ttl.Enabled) ? str(ttl.AttributeName) : undefined;
  return {
    name,
    tableName: name,
    partitionKey: partitionKey ?? { name: "", type: "S" },
    ...(sortKey ? { sortKey } : {}),
    indexes,
    ...(stream ? { stream, ...(label ? { streamLabel: label } : {}) } : {}),
    ...(ttlAttribute ? { ttlAttribute } : {}),
    pointInTimeRecovery: isTrue(obj(p.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled),
    deletionProtection: isTrue(p.DeletionProtectionEnabled),
    // A replica of a global table (translate-global-tables.ts): replicated between regions.
    ...(resource.attributes[GLOBAL_REPLICA_ATTRIBUTE] === true ? { global: true as const } : {}),
  };
}

function keys(schema: unknown, types: ReadonlyMap<string, string>): (KeyAttributeSpec | undefined)[] {
  const elements = list(schema).map(obj);
  const key = (keyType: string): KeyAttributeSpec | undefined => {
    const name = str(elements.find((e) => e.KeyType === keyType)?.AttributeName);
    return name === undefined
      ? undefined
      : { name, type: (types.get(name) ?? "S") as KeyAttributeSpec["type"] };
  };
  return [key("HASH"), key("RANGE")];
}

function indexSpec(raw: Props, kind: "global" | "local", types: ReadonlyMap<string, string>): TableIndexSpec {
  const [partitionKey, sortKey] = keys(raw.KeySchema, types);
  const projection = obj(raw.Projection);
  const type = str(projection.ProjectionType) ?? "ALL";
  return {
    name: str(raw.IndexName) ?? "",
    kind,
    partitionKey: partitionKey ?? { name: "", type: "S" },
    ...(sortKey ? { sortKey } : {}),
    projection:
      type === "INCLUDE"
        ? { type: "INCLUDE", nonKeyAttributes: list(projection.NonKeyAttributes).map(String) }
        : { type: type === "KEYS_ONLY" ? "KEYS_ONLY" : "ALL" },
  };
}

/** Whether an event source mapping reads a DynamoDB stream (and not a queue). */
export function isStreamMapping(mapping: DeployedResource): boolean {
  return isStreamArn(String(mapping.properties.EventSourceArn ?? ""));
}

/** The table whose stream a mapping reads, when the region deployed it; a note otherwise. */
export function consumesTableOf(
  index: ResourceIndex,
  fn: string,
  mapping: DeployedResource,
): TableConsumesSpec | undefined {
  const p = mapping.properties;
  const arn = String(p.EventSourceArn ?? "");
  const table = index.of(TABLE_TYPE).find((t) => t.attributes.StreamArn === arn)?.physicalId;
  if (table === undefined) {
    index.notes.push(
      `function ${fn}: event source ${arn} is not the stream of a table deployed in this region`,
    );
    return undefined;
  }
  const limits = LIMITS.streamEventSourceMapping;
  const onFailureArn = str(obj(obj(obj(p.DestinationConfig).OnFailure)).Destination);
  const onFailure = onFailureArn === undefined ? undefined : index.queueName(onFailureArn);
  if (onFailureArn !== undefined && onFailure === undefined) {
    index.notes.push(
      `function ${fn}: on-failure destination ${onFailureArn} is not a queue deployed in this region`,
    );
  }
  const tumbling = p.TumblingWindowInSeconds === undefined ? 0 : num(p.TumblingWindowInSeconds, 0);
  const filters = mappingFilters(mapping);
  return {
    table,
    batchSize: num(p.BatchSize, limits.batchSize.default),
    maximumBatchingWindowSeconds: num(p.MaximumBatchingWindowInSeconds, limits.maximumBatchingWindow.default),
    startingPosition: str(p.StartingPosition) === "TRIM_HORIZON" ? "TRIM_HORIZON" : "LATEST",
    maximumRetryAttempts: num(p.MaximumRetryAttempts, limits.maximumRetryAttempts.default),
    maximumRecordAgeSeconds: num(p.MaximumRecordAgeInSeconds, -1),
    bisectBatchOnFunctionError: isTrue(p.BisectBatchOnFunctionError),
    parallelizationFactor: num(p.ParallelizationFactor, limits.parallelizationFactor.default),
    // 0 turns tumbling windows off, as leaving the setting out does.
    ...(tumbling > 0 ? { tumblingWindowSeconds: tumbling } : {}),
    reportBatchItemFailures: list(p.FunctionResponseTypes).includes("ReportBatchItemFailures"),
    ...(onFailure === undefined ? {} : { onFailure }),
    ...(filters ? { filters } : {}),
  };
}

/** A mapping's FilterCriteria as the spec keeps it: each pattern's JSON text; absent when none. */
export function mappingFilters(mapping: DeployedResource): string[] | undefined {
  const filters = list(obj(mapping.properties.FilterCriteria).Filters)
    .map((f) => str(obj(f).Pattern))
    .filter((pattern): pattern is string => pattern !== undefined);
  return filters.length > 0 ? filters : undefined;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
