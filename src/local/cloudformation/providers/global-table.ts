/**
 * AWS::DynamoDB::GlobalTable (version 2019.11.21, multi-Region eventual consistency): one table
 * with a replica in each region its `Replicas` list. The table's shape is checked with the rules
 * of AWS::DynamoDB::Table (dynamodb.ts); the regions' clouds create the replicas when the stack
 * settles (cloud-host/translate-global-tables.ts), and the host replicates writes between them.
 * Ref is the table's name; GetAtt Arn and StreamArn are the replica's in the stack's region (as
 * AWS documents), TableId a UUID. Every replica's stream gets the label the provider chose, so
 * another region's stream ARN is `arn:…:<region>:…:table/<name>/stream/<label>` (DescribeTable
 * there answers it).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-globaltable-replicaspecification.html
 */
import { randomUUID } from "node:crypto";
import { isAwsRegion } from "../../../model/regions.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { checkTable, keptStreamLabel, STREAM_LABEL_ATTRIBUTE, streamLabel, tableName } from "./dynamodb.ts";
import { arnPrefix, booleanProp, objectProp, type Properties, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

/** The attribute that lists the regions a global table has replicas in (for updates and deletes). */
export const REPLICA_REGIONS_ATTRIBUTE = "ReplicaRegions";

function required(properties: Properties, key: string, context: ResourceContext): void {
  if (properties[key] === undefined) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #: required key [${key}] not found`,
    );
  }
}

/** The replicas' regions, in template order: each once, real regions, the stack's among them. */
export function replicaRegions(properties: Properties, context: ResourceContext): string[] {
  const replicas = properties.Replicas;
  if (!Array.isArray(replicas) || replicas.length === 0) {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: #/Replicas: expected minimum item count: 1, found: 0`,
    );
  }
  const regions: string[] = [];
  for (const replica of replicas) {
    if (typeof replica !== "object" || replica === null || Array.isArray(replica)) {
      throw new ResourceFailure(
        `Property Replicas must be a list of objects, got ${JSON.stringify(replica)}.`,
      );
    }
    const region = stringProp(replica as Properties, "Region");
    if (region === undefined) {
      throw new ResourceFailure(
        `Properties validation failed for resource ${context.logicalId} with message: #/Replicas: required key [Region] not found`,
      );
    }
    if (!isAwsRegion(region)) throw new ResourceFailure(`Replica region ${region} is not an AWS Region.`);
    if (regions.includes(region)) {
      throw new ResourceFailure(`Replicas lists region ${region} more than once; list each region once.`);
    }
    regions.push(region);
  }
  // AWS: "The list must contain at least one element, the region where the stack defining the
  // global table is deployed."
  if (!regions.includes(context.region)) {
    throw new ResourceFailure(
      `Replicas must contain the region the stack is deployed in (${context.region}); got ${regions.join(", ")}.`,
    );
  }
  return regions;
}

/** Every rule of the table's shape, plus what a global table adds. */
function checkGlobalTable(properties: Properties, context: ResourceContext) {
  required(properties, "KeySchema", context);
  required(properties, "AttributeDefinitions", context);
  required(properties, "Replicas", context);
  const regions = replicaRegions(properties, context);
  const { streamViewType } = checkTable(properties);
  // MREC replicates through the stream: AWS requires one once there is more than one replica.
  if (regions.length > 1 && streamViewType === undefined) {
    throw new ResourceFailure(
      "StreamSpecification must be specified for a global table with more than one replica.",
    );
  }
  // A global table's BillingMode defaults to PROVISIONED, which needs write capacity settings.
  const billing = stringProp(properties, "BillingMode") ?? "PROVISIONED";
  if (
    billing === "PROVISIONED" &&
    objectProp(properties, "WriteProvisionedThroughputSettings") === undefined
  ) {
    throw new ResourceFailure(
      "WriteProvisionedThroughputSettings must be specified when BillingMode is PROVISIONED.",
    );
  }
  return { regions, streamViewType };
}

export function globalTableProvider(env: ProviderEnv) {
  const provision = (
    name: string,
    regions: readonly string[],
    view: string | undefined,
    kept: { label?: string; tableId?: string },
    context: ResourceContext,
  ) => {
    const arn = `${arnPrefix(context, "dynamodb")}:table/${name}`;
    const label = view === undefined ? undefined : (kept.label ?? streamLabel(context));
    return {
      physicalId: name,
      attributes: {
        Arn: arn,
        TableId: kept.tableId ?? randomUUID(),
        [REPLICA_REGIONS_ATTRIBUTE]: [...regions],
        ...(label === undefined
          ? {}
          : { StreamArn: `${arn}/stream/${label}`, [STREAM_LABEL_ATTRIBUTE]: label }),
      },
    };
  };
  /** The first of `regions` that holds a table named `name`. */
  const exists = async (name: string, regions: readonly string[]) => {
    for (const region of regions) if (await env.tables?.exists(region, name)) return region;
    return undefined;
  };
  return defineProvider("AWS::DynamoDB::GlobalTable", {
    async create(properties, context) {
      const name = tableName(properties, context, env);
      const { regions, streamViewType } = checkGlobalTable(properties, context);
      const taken = await exists(name, regions);
      if (taken !== undefined) {
        throw new ResourceFailure(
          `Resource of type 'AWS::DynamoDB::GlobalTable' with identifier '${name}' already exists in ${taken}.`,
        );
      }
      return provision(name, regions, streamViewType, {}, context);
    },
    async update(current, properties, context) {
      const { regions, streamViewType } = checkGlobalTable(properties, context);
      const before = replicasOf(current.attributes);
      const added = regions.filter((region) => !before.includes(region));
      const taken = await exists(current.physicalId, added);
      if (taken !== undefined) {
        throw new ResourceFailure(`A table named ${current.physicalId} already exists in ${taken}.`);
      }
      // A removed replica is deleted with its items, as DynamoDB does when a replica is dropped.
      for (const region of before) {
        if (!regions.includes(region)) await env.tables?.delete(region, current.physicalId);
      }
      const label = keptStreamLabel(current, streamViewType);
      const tableId = stringProp(current.attributes, "TableId");
      return provision(
        current.physicalId,
        regions,
        streamViewType,
        { ...(label ? { label } : {}), ...(tableId ? { tableId } : {}) },
        context,
      );
    },
    async delete(current) {
      const regions = replicasOf(current.attributes);
      const replicas = Array.isArray(current.properties.Replicas) ? current.properties.Replicas : [];
      const guarded = replicas.some(
        (r) =>
          typeof r === "object" &&
          r !== null &&
          booleanProp(r as Properties, "DeletionProtectionEnabled") === true,
      );
      if (guarded) {
        throw new ResourceFailure(
          "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        );
      }
      for (const region of regions) await env.tables?.delete(region, current.physicalId);
    },
  });
}

/** The regions a provisioned global table has replicas in. */
export function replicasOf(attributes: Readonly<Record<string, unknown>>): string[] {
  const regions = attributes[REPLICA_REGIONS_ATTRIBUTE];
  return Array.isArray(regions) ? regions.map(String) : [];
}
