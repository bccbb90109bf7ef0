/**
 * AWS::DynamoDB::Table. The table's shape is checked here with DynamoDB's CreateTable rules and
 * wording; the region's cloud creates the table (or brings it to the new shape, keeping its
 * items) when the stack settles, from the TableSpec that cloud-host/translate-tables.ts reads back.
 * Ref is the table's name; GetAtt Arn and StreamArn (`…:table/<name>/stream/<label>`): the label
 * is the ISO time the provider enabled the stream, kept while the stream's view type stays.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
import { randomUUID } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  booleanProp,
  constraintFailure,
  generatedName,
  objectProp,
  type Properties,
  randomChars,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const TABLES = LIMITS.dynamodbTables;
const KEY_TYPES: readonly string[] = TABLES.keyTypes.values;
const VIEW_TYPES: readonly string[] = TABLES.streamViewTypes.values;
const BILLING_MODES = ["PROVISIONED", "PAY_PER_REQUEST"];

/** The attribute the stream's label is kept in, so an update can keep it. */
export const STREAM_LABEL_ATTRIBUTE = "StreamLabel";

/** DynamoDB's ValidationException, as CloudFormation's handler reports it. */
function invalid(detail: string): never {
  throw new ResourceFailure(
    `One or more parameter values were invalid: ${detail} (Service: DynamoDb, Status Code: 400, Request ID: ${randomUUID()})`,
  );
}

function validationError(message: string): never {
  throw new ResourceFailure(`${message} (Service: DynamoDb, Status Code: 400, Request ID: ${randomUUID()})`);
}

interface KeyElement {
  readonly name: string;
  readonly type: string;
}

/** The table's physical name: TableName, or one CloudFormation generates. */
export function tableName(properties: Properties, context: ResourceContext, env: ProviderEnv): string {
  const name =
    stringProp(properties, "TableName") ??
    generatedName(context, { maxLength: TABLES.tableName.max, random: env.random ?? randomChars });
  if (name.length < TABLES.tableName.min) {
    constraintFailure(
      name,
      "tableName",
      `Member must have length greater than or equal to ${TABLES.tableName.min}`,
    );
  }
  if (name.length > TABLES.tableName.max) {
    constraintFailure(
      name,
      "tableName",
      `Member must have length less than or equal to ${TABLES.tableName.max}`,
    );
  }
  if (!TABLES.tableName.pattern.test(name)) {
    constraintFailure(name, "tableName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  return name;
}

function list(properties: Properties, key: string): Properties[] {
  const value = properties[key];
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new ResourceFailure(`Property ${key} must be a list, got ${JSON.stringify(value)}.`);
  return value.map((item) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new ResourceFailure(`Property ${key} must be a list of objects, got ${JSON.stringify(item)}.`);
    }
    return item as Properties;
  });
}

/** HASH first, then an optional RANGE on another attribute (CreateTable's KeySchema rules). */
function keySchema(elements: readonly Properties[], definitions: ReadonlyMap<string, string>): KeyElement[] {
  if (elements.length < 1 || elements.length > 2) {
    constraintFailure(
      JSON.stringify(elements),
      "keySchema",
      elements.length < 1
        ? "Member must have length greater than or equal to 1"
        : "Member must have length less than or equal to 2",
    );
  }
  const keys = elements.map((element) => ({
    name: stringProp(element, "AttributeName") ?? "",
    keyType: stringProp(element, "KeyType") ?? "",
  }));
  if (keys[0]?.keyType !== "HASH")
    validationError("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (keys[1] && keys[1].keyType !== "RANGE") {
    validationError("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  if (keys[1] && keys[1].name === keys[0]?.name) {
    validationError("Both the Hash Key and the Range Key cannot be the same attribute");
  }
  const missing = keys.filter((key) => !definitions.has(key.name)).map((key) => key.name);
  if (missing.length > 0) {
    invalid(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(", ")}], AttributeDefinitions: [${[...definitions.keys()].join(", ")}]`,
    );
  }
  return keys.map((key) => ({ name: key.name, type: definitions.get(key.name) ?? "S" }));
}

function attributeDefinitions(properties: Properties): Map<string, string> {
  const definitions = new Map<string, string>();
  for (const definition of list(properties, "AttributeDefinitions")) {
    const name = stringProp(definition, "AttributeName") ?? "";
    const type = stringProp(definition, "AttributeType") ?? "";
    if (!KEY_TYPES.includes(type)) {
      constraintFailure(
        type,
        "attributeDefinitions.member.attributeType",
        "Member must satisfy enum value set: [B, N, S]",
      );
    }
    if (definitions.has(name)) invalid(`Duplicate Attribute: ${name}`);
    definitions.set(name, type);
  }
  return definitions;
}

function indexes(
  properties: Properties,
  key: "GlobalSecondaryIndexes" | "LocalSecondaryIndexes",
  definitions: ReadonlyMap<string, string>,
): { name: string; keys: KeyElement[] }[] {
  const limit =
    key === "GlobalSecondaryIndexes" ? TABLES.globalSecondaryIndexes : TABLES.localSecondaryIndexes;
  const found = list(properties, key);
  if (found.length > limit.max) {
    invalid(
      `${key === "GlobalSecondaryIndexes" ? "GlobalSecondaryIndex" : "LocalSecondaryIndex"} count exceeds the per-table limit of ${limit.max}`,
    );
  }
  return found.map((index) => {
    const name = stringProp(index, "IndexName") ?? "";
    if (
      !TABLES.indexName.pattern.test(name) ||
      name.length < TABLES.indexName.min ||
      name.length > TABLES.indexName.max
    ) {
      constraintFailure(name, "indexName", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    const projection = objectProp(index, "Projection") ?? {};
    const type = stringProp(projection, "ProjectionType") ?? "ALL";
    if (!["ALL", "KEYS_ONLY", "INCLUDE"].includes(type)) {
      constraintFailure(
        type,
        "projection.projectionType",
        "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
      );
    }
    return { name, keys: keySchema(list(index, "KeySchema"), definitions) };
  });
}

/** Every CreateTable rule the template's properties can break, in DynamoDB's order and words. */
export function checkTable(properties: Properties): { streamViewType?: string } {
  const definitions = attributeDefinitions(properties);
  const keys = keySchema(list(properties, "KeySchema"), definitions);
  const global = indexes(properties, "GlobalSecondaryIndexes", definitions);
  const local = indexes(properties, "LocalSecondaryIndexes", definitions);
  const names = [...global, ...local].map((index) => index.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) invalid(`Duplicate index name: ${duplicate}`);
  for (const index of local) {
    if (keys[1] === undefined) {
      invalid(
        "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
      );
    }
    if (index.keys[1] === undefined) {
      invalid(`Index KeySchema does not have a range key for index: ${index.name}`);
    }
    if (index.keys[0]?.name !== keys[0]?.name) {
      invalid(
        `Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index.name}. index hash key: ${index.keys[0]?.name}, table hash key: ${keys[0]?.name}`,
      );
    }
  }
  const used = new Set(
    [...keys, ...global.flatMap((i) => i.keys), ...local.flatMap((i) => i.keys)].map((k) => k.name),
  );
  if (used.size !== definitions.size) {
    invalid(
      "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
    );
  }
  const billing = stringProp(properties, "BillingMode");
  if (billing !== undefined && !BILLING_MODES.includes(billing)) {
    constraintFailure(
      billing,
      "billingMode",
      "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    );
  }
  const ttl = objectProp(properties, "TimeToLiveSpecification");
  if (ttl && booleanProp(ttl, "Enabled") === true && !stringProp(ttl, "AttributeName")) {
    validationError("TimeToLiveSpecification: AttributeName is required when TTL is enabled");
  }
  const stream = objectProp(properties, "StreamSpecification");
  if (!stream) return {};
  const view = stringProp(stream, "StreamViewType") ?? "";
  if (!VIEW_TYPES.includes(view)) {
    constraintFailure(
      view,
      "streamSpecification.streamViewType",
      "Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]",
    );
  }
  return { streamViewType: view };
}

/** AWS's StreamLabel: the time the stream was enabled, ISO-8601 to the millisecond, no zone. */
export function streamLabel(context: ResourceContext): string {
  return new Date(context.clock.now()).toISOString().replace(/Z$/, "");
}

/** A stream keeps its label while its view type stays; a new or changed stream is a new one. */
export function keptStreamLabel(
  current: { readonly properties: Properties; readonly attributes: Properties },
  streamViewType: string | undefined,
): string | undefined {
  const before = stringProp(objectProp(current.properties, "StreamSpecification") ?? {}, "StreamViewType");
  return before === streamViewType ? stringProp(current.attributes, STREAM_LABEL_ATTRIBUTE) : undefined;
}

export function tableProvider(env: ProviderEnv) {
  const provision = (
    name: string,
    view: string | undefined,
    label: string | undefined,
    context: ResourceContext,
  ) => {
    const arn = `${arnPrefix(context, "dynamodb")}:table/${name}`;
    const stream = view === undefined ? undefined : (label ?? streamLabel(context));
    return {
      physicalId: name,
      attributes: {
        Arn: arn,
        ...(stream === undefined
          ? {}
          : { StreamArn: `${arn}/stream/${stream}`, [STREAM_LABEL_ATTRIBUTE]: stream }),
      },
    };
  };
  return defineProvider("AWS::DynamoDB::Table", {
    async create(properties, context) {
      const name = tableName(properties, context, env);
      const { streamViewType } = checkTable(properties);
      if (await env.tables?.exists(context.region, name)) {
        throw new ResourceFailure(
          `Resource of type 'AWS::DynamoDB::Table' with identifier '${name}' already exists.`,
        );
      }
      return provision(name, streamViewType, undefined, context);
    },
    update(current, properties, context) {
      const { streamViewType } = checkTable(properties);
      return provision(current.physicalId, streamViewType, keptStreamLabel(current, streamViewType), context);
    },
    async delete(current, context) {
      // DynamoDB refuses DeleteTable on a protected table; the stack's delete fails with it.
      if (booleanProp(current.properties, "DeletionProtectionEnabled") === true) {
        validationError(
          "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        );
      }
      await env.tables?.delete(context.region, current.physicalId);
    },
  });
}
