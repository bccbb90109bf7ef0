/**
 * CreateTable's and UpdateTable's key schemas, attribute definitions, indexes and stream
 * specification, checked as DynamoDB checks them, with its messages.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
import type { StreamViewType } from "../../model/app-spec.ts";
import { LIMITS } from "../../model/limits.ts";
import { constraint, invalidParameter, validation } from "./errors.ts";
import { asObject, checkName, type Input, optList, optObject, optString } from "./input.ts";
import type { KeyType } from "./key-encoding.ts";
import type { IndexMeta, IndexProjection, KeyAttribute, KeyDef, Provisioned } from "./table-meta.ts";

export type AttributeTypes = ReadonlyMap<string, KeyType>;

const VIEW_TYPES: readonly StreamViewType[] = ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"];

export function attributeDefinitions(input: Input): Map<string, KeyType> {
  const list = optList(input, "AttributeDefinitions");
  if (list === undefined) throw constraint("attributeDefinitions", undefined, "Member must not be null");
  const types = new Map<string, KeyType>();
  for (const raw of list) {
    const entry = asObject(raw, "AttributeDefinition");
    const name = optString(entry, "AttributeName");
    const type = optString(entry, "AttributeType");
    if (name === undefined)
      throw constraint("attributeDefinitions.member.attributeName", undefined, "Member must not be null");
    if (type !== "S" && type !== "N" && type !== "B") {
      throw constraint(
        "attributeDefinitions.member.attributeType",
        type,
        "Member must satisfy enum value set: [B, N, S]",
      );
    }
    if (types.has(name)) throw invalidParameter(`Duplicate AttributeName: ${name}`);
    types.set(name, type);
  }
  return types;
}

interface RawKey {
  readonly hash: string;
  readonly range?: string | undefined;
}

function keySchema(raw: readonly unknown[] | undefined, member: string): RawKey {
  if (raw === undefined) throw constraint(member, undefined, "Member must not be null");
  if (raw.length < 1) throw constraint(member, "[]", "Member must have length greater than or equal to 1");
  if (raw.length > 2)
    throw constraint(member, `[${raw.length} elements]`, "Member must have length less than or equal to 2");
  const elements = raw.map((entry) => {
    const element = asObject(entry, "KeySchemaElement");
    const name = optString(element, "AttributeName");
    const type = optString(element, "KeyType");
    if (name === undefined)
      throw constraint(`${member}.member.attributeName`, undefined, "Member must not be null");
    if (type !== "HASH" && type !== "RANGE") {
      throw constraint(`${member}.member.keyType`, type, "Member must satisfy enum value set: [HASH, RANGE]");
    }
    return { name, type };
  });
  const [first, second] = elements as [
    { name: string; type: string },
    { name: string; type: string } | undefined,
  ];
  if (first.type !== "HASH")
    throw validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (second !== undefined && second.type !== "RANGE") {
    throw validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  if (second !== undefined && second.name === first.name) {
    throw validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  return { hash: first.name, range: second?.name };
}

function typed(name: string, types: AttributeTypes): KeyAttribute {
  return { name, type: types.get(name) as KeyType };
}

function provisionedOf(raw: Input | undefined, member = "provisionedThroughput"): Provisioned | undefined {
  if (raw === undefined) return undefined;
  const units = (name: "ReadCapacityUnits" | "WriteCapacityUnits"): number => {
    const value = raw[name];
    const path = `${member}.${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    if (typeof value !== "number") throw constraint(path, undefined, "Member must not be null");
    if (value < 1) throw constraint(path, value, "Member must have value greater than or equal to 1");
    return value;
  };
  return { read: units("ReadCapacityUnits"), write: units("WriteCapacityUnits") };
}

function projectionOf(raw: Input | undefined, member: string): IndexProjection {
  if (raw === undefined) throw constraint(`${member}.projection`, undefined, "Member must not be null");
  const type = optString(raw, "ProjectionType");
  if (type === undefined) throw invalidParameter("Unknown ProjectionType: null");
  if (type !== "ALL" && type !== "KEYS_ONLY" && type !== "INCLUDE") {
    throw constraint(
      `${member}.projection.projectionType`,
      type,
      "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
    );
  }
  const nonKey = optList(raw, "NonKeyAttributes");
  if (type === "INCLUDE") {
    if (nonKey === undefined || nonKey.length === 0) {
      throw validation(
        "If Projection type INCLUDE is specified, some non-key attributes to include in the projection must be specified as well",
      );
    }
    return { type, nonKeyAttributes: nonKey.map(String) };
  }
  if (nonKey !== undefined)
    throw invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`);
  return { type };
}

/** One index of CreateTable's GlobalSecondaryIndexes/LocalSecondaryIndexes or of UpdateTable's Create. */
export function indexOf(
  raw: unknown,
  kind: "global" | "local",
  table: KeyDef,
  types: AttributeTypes,
  billing: "PAY_PER_REQUEST" | "PROVISIONED",
): IndexMeta {
  const member = kind === "global" ? "globalSecondaryIndexes.member" : "localSecondaryIndexes.member";
  const entry = asObject(raw, "Index");
  const name = optString(entry, "IndexName");
  if (name === undefined) throw constraint(`${member}.indexName`, undefined, "Member must not be null");
  checkName(`${member}.indexName`, name);
  const key = keySchema(optList(entry, "KeySchema"), `${member}.keySchema`);
  const missing = [key.hash, key.range].filter(
    (attribute): attribute is string => attribute !== undefined && !types.has(attribute),
  );
  if (missing.length > 0) {
    throw invalidParameter(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(", ")}], AttributeDefinitions: [${[...types.keys()].join(", ")}]`,
    );
  }
  if (kind === "local") {
    if (table.sortKey === undefined) {
      throw invalidParameter(
        "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
      );
    }
    if (key.hash !== table.partitionKey.name) {
      throw invalidParameter(
        `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${name}. index hash key: ${key.hash}, table hash key: ${table.partitionKey.name}`,
      );
    }
    if (key.range === undefined) {
      throw invalidParameter(`Index KeySchema does not have a range key for index: ${name}`);
    }
  }
  const provisioned = provisionedOf(optObject(entry, "ProvisionedThroughput"));
  if (billing === "PAY_PER_REQUEST" && provisioned !== undefined) {
    throw invalidParameter(
      "ProvisionedThroughput should not be specified for index: " +
        `${name} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  return {
    name,
    kind,
    partitionKey: typed(key.hash, types),
    sortKey: key.range === undefined ? undefined : typed(key.range, types),
    projection: projectionOf(optObject(entry, "Projection"), member),
    provisioned,
  };
}

export interface TableShape extends KeyDef {
  readonly attributeDefinitions: { AttributeName: string; AttributeType: KeyType }[];
  readonly indexes: IndexMeta[];
  readonly billingMode: "PAY_PER_REQUEST" | "PROVISIONED";
  readonly provisioned?: Provisioned | undefined;
  readonly streamViewType?: StreamViewType | undefined;
}

/** StreamSpecification: the view type when enabled, null when explicitly disabled, undefined when absent. */
export function streamSpecification(input: Input): StreamViewType | null | undefined {
  const spec = optObject(input, "StreamSpecification");
  if (spec === undefined) return undefined;
  const enabled = spec.StreamEnabled;
  if (typeof enabled !== "boolean")
    throw constraint("streamSpecification.streamEnabled", undefined, "Member must not be null");
  const viewType = optString(spec, "StreamViewType");
  if (!enabled) {
    if (viewType !== undefined)
      throw invalidParameter("StreamViewType cannot be specified when StreamEnabled is false");
    return null;
  }
  if (viewType === undefined)
    throw validation(
      "Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.",
    );
  if (!(VIEW_TYPES as readonly string[]).includes(viewType)) {
    throw constraint(
      "streamSpecification.streamViewType",
      viewType,
      `Member must satisfy enum value set: [${VIEW_TYPES.join(", ")}]`,
    );
  }
  return viewType as StreamViewType;
}

export function billingOf(input: Input): {
  billingMode: "PAY_PER_REQUEST" | "PROVISIONED";
  provisioned?: Provisioned;
} {
  const mode = optString(input, "BillingMode");
  if (mode !== undefined && mode !== "PAY_PER_REQUEST" && mode !== "PROVISIONED") {
    throw constraint(
      "billingMode",
      mode,
      "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    );
  }
  const rawThroughput = optObject(input, "ProvisionedThroughput");
  if (mode === "PAY_PER_REQUEST") {
    if (rawThroughput !== undefined) {
      throw invalidParameter(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
      );
    }
    return { billingMode: mode };
  }
  const provisioned = provisionedOf(rawThroughput);
  if (provisioned === undefined) {
    throw invalidParameter(
      "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
    );
  }
  return { billingMode: "PROVISIONED", provisioned };
}

/** CreateTable's definition of the table, checked. */
export function tableDefinition(input: Input): TableShape {
  const types = attributeDefinitions(input);
  const key = keySchema(optList(input, "KeySchema"), "keySchema");
  const { billingMode, provisioned } = billingOf(input);
  const missing = [key.hash, key.range].filter(
    (attribute): attribute is string => attribute !== undefined && !types.has(attribute),
  );
  if (missing.length > 0) {
    throw invalidParameter(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(", ")}], AttributeDefinitions: [${[...types.keys()].join(", ")}]`,
    );
  }
  const table: KeyDef = {
    partitionKey: typed(key.hash, types),
    sortKey: key.range === undefined ? undefined : typed(key.range, types),
  };
  const globals = (optList(input, "GlobalSecondaryIndexes") ?? []).map((raw) =>
    indexOf(raw, "global", table, types, billingMode),
  );
  const locals = (optList(input, "LocalSecondaryIndexes") ?? []).map((raw) =>
    indexOf(raw, "local", table, types, billingMode),
  );
  if (globals.length > LIMITS.dynamodb.globalSecondaryIndexes.max) {
    throw invalidParameter(
      `GlobalSecondaryIndex count exceeds the per-table limit of ${LIMITS.dynamodb.globalSecondaryIndexes.max}`,
    );
  }
  if (locals.length > LIMITS.dynamodb.localSecondaryIndexes.max) {
    throw invalidParameter(
      `Number of LocalSecondaryIndexes exceeds per-table limit of ${LIMITS.dynamodb.localSecondaryIndexes.max}`,
    );
  }
  const indexes = [...globals, ...locals];
  const names = new Set<string>();
  for (const index of indexes) {
    if (names.has(index.name)) throw invalidParameter(`Duplicate index name: ${index.name}`);
    names.add(index.name);
  }
  const used = new Set([
    key.hash,
    key.range,
    ...indexes.flatMap((index) => [index.partitionKey.name, index.sortKey?.name]),
  ]);
  used.delete(undefined);
  if (used.size !== types.size) {
    throw invalidParameter(
      "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
    );
  }
  const viewType = streamSpecification(input);
  return {
    ...table,
    attributeDefinitions: [...types].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    indexes,
    billingMode,
    provisioned,
    streamViewType: viewType ?? undefined,
  };
}
