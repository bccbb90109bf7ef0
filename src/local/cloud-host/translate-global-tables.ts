/**
 * DynamoDB global tables of the account: an AWS::DynamoDB::GlobalTable lives in one stack (one
 * region) but makes a table in every region its Replicas list. Each replica is handed to its
 * region's app as the AWS::DynamoDB::Table it amounts to (keys, indexes, stream, TTL of the
 * global table; point-in-time recovery and deletion protection of the replica), with that
 * region's ARN and stream ARN, so stream mappings and IAM there find it as they find any table.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
 */
import { arn } from "../../model/naming.ts";
import { replicasOf, STREAM_LABEL_ATTRIBUTE } from "../cloudformation/index.ts";
import { type DeployedResource, list, obj, str } from "./deployed-resources.ts";

const GLOBAL_TABLE_TYPE = "AWS::DynamoDB::GlobalTable";
/** Marks a replica's table record, so the region's TableSpec says `global`. */
export const GLOBAL_REPLICA_ATTRIBUTE = "GlobalReplica";

/** One deployed global table: its record and its replicas' regions, the stack's region first. */
export interface GlobalTableDeployment {
  readonly name: string;
  readonly resource: DeployedResource;
  readonly regions: readonly string[];
}

/** Every global table the account's stacks hold, from each region's deployed resources. */
export function globalTables(
  resourcesOf: (region: string) => readonly DeployedResource[],
  regions: Iterable<string>,
): GlobalTableDeployment[] {
  const found: GlobalTableDeployment[] = [];
  for (const region of regions) {
    for (const resource of resourcesOf(region)) {
      if (resource.resourceType !== GLOBAL_TABLE_TYPE) continue;
      const replicas = replicasOf(resource.attributes);
      found.push({
        name: resource.physicalId,
        resource,
        regions: [region, ...replicas.filter((r) => r !== region)],
      });
    }
  }
  return found;
}

/** The tables `region` holds as replicas of the account's global tables. */
export function replicaTables(
  globals: readonly GlobalTableDeployment[],
  region: string,
  accountId: string,
): DeployedResource[] {
  const tables: DeployedResource[] = [];
  for (const global of globals) {
    if (!global.regions.includes(region)) continue;
    const { Replicas, ...shape } = global.resource.properties;
    const replica = obj(list(Replicas).find((r) => str(obj(r).Region) === region));
    const tableArn = arn("dynamodb", region, accountId, `table/${global.name}`);
    const label = str(global.resource.attributes[STREAM_LABEL_ATTRIBUTE]);
    tables.push({
      ...global.resource,
      resourceType: "AWS::DynamoDB::Table",
      properties: {
        ...shape,
        ...(replica.PointInTimeRecoverySpecification === undefined
          ? {}
          : { PointInTimeRecoverySpecification: replica.PointInTimeRecoverySpecification }),
        ...(replica.DeletionProtectionEnabled === undefined
          ? {}
          : { DeletionProtectionEnabled: replica.DeletionProtectionEnabled }),
      },
      attributes: {
        Arn: tableArn,
        ...(label === undefined
          ? {}
          : { StreamArn: `${tableArn}/stream/${label}`, [STREAM_LABEL_ATTRIBUTE]: label }),
        [GLOBAL_REPLICA_ATTRIBUTE]: true,
      },
    });
  }
  return tables;
}
