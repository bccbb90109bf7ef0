/**
 * AWS::DynamoDB::Table from a TableSpec. On-demand billing (no capacity to plan, as `dev` has
 * none), every option written out, defaults included, so the template says what `dev` runs.
 * Tags come from the stack, which CloudFormation propagates to the table.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
 */
import type { KeyAttributeSpec, TableIndexSpec, TableSpec } from "../../model/app-spec.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";

/**
 * What AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable share: the name, on-demand billing, the
 * keys and the indexes, in that order (each resource adds its stream, TTL and options).
 */
export function tableShape(table: TableSpec): Record<string, TemplateValue> {
  const indexes = Object.values(table.indexes);
  const global = indexes.filter((index) => index.kind === "global");
  const local = indexes.filter((index) => index.kind === "local");
  const properties: Record<string, TemplateValue> = {
    TableName: table.tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributeDefinitions(table),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
  };
  if (global.length > 0) properties.GlobalSecondaryIndexes = global.map(indexProperty);
  if (local.length > 0) properties.LocalSecondaryIndexes = local.map(indexProperty);
  return properties;
}

export function tableResource(table: TableSpec): TemplateResource {
  const properties = tableShape(table);
  if (table.stream !== undefined) properties.StreamSpecification = { StreamViewType: table.stream };
  if (table.ttlAttribute !== undefined) {
    properties.TimeToLiveSpecification = { AttributeName: table.ttlAttribute, Enabled: true };
  }
  properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnabled: table.pointInTimeRecovery };
  properties.DeletionProtectionEnabled = table.deletionProtection;
  return {
    Type: "AWS::DynamoDB::Table",
    Properties: properties,
    // As queues: deploy counts the items and asks before any replacement or removal
    // (data-at-stake.ts), and Retain would leave a table whose fixed TableName makes the next
    // create fail. `deletionProtection` is AWS's own guard: DynamoDB then refuses the delete.
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
  };
}

/**
 * DynamoDB accepts only attributes that some key schema uses, each once (CreateTable:
 * "AttributeDefinitions … describe the key schema for the table and indexes").
 */
export function attributeDefinitions(table: TableSpec): TemplateValue[] {
  const keys = [table.partitionKey, table.sortKey, ...Object.values(table.indexes).flatMap(indexKeys)];
  const seen = new Map<string, KeyAttributeSpec>();
  for (const key of keys) if (key && !seen.has(key.name)) seen.set(key.name, key);
  return [...seen.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

function indexKeys(index: TableIndexSpec): (KeyAttributeSpec | undefined)[] {
  return [index.partitionKey, index.sortKey];
}

export function keySchema(
  partitionKey: KeyAttributeSpec,
  sortKey: KeyAttributeSpec | undefined,
): TemplateValue[] {
  const schema: TemplateValue[] = [{ AttributeName: partitionKey.name, KeyType: "HASH" }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: "RANGE" });
  return schema;
}

export function indexProperty(index: TableIndexSpec): TemplateValue {
  const projection: Record<string, TemplateValue> = { ProjectionType: index.projection.type };
  if (index.projection.type === "INCLUDE")
    projection.NonKeyAttributes = [...index.projection.nonKeyAttributes];
  return {
    IndexName: index.name,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection: projection,
  };
}
