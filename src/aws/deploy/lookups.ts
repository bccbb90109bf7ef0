/**
 * Parameter values a regional or global stack needs that only the account knows, looked up at
 * deploy time rather than asked of the user:
 *
 * - `HostedZoneId`: the public hosted zone named by the definition's `domain.hostedZone`, with
 *   Route 53's ListHostedZonesByName; CloudFormation takes the bare `Z…` ID, not the API's
 *   `/hostedzone/Z…` (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListHostedZonesByName.html,
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-certificatemanager-certificate-domainvalidationoption.html).
 * - `<Table>StreamArn`: the stream of a global table's replica in the stack's region, with
 *   DescribeTable's LatestStreamArn in that region: GlobalTable's own `StreamArn` attribute names
 *   only the replica of the global table stack's region
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html#aws-resource-dynamodb-globaltable-return-values).
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { ListHostedZonesByNameCommand } from "@aws-sdk/client-route-53";
import type { AppSpec } from "../../model/app-spec.ts";
import { DOMAIN_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { Template } from "../template/template.ts";
import type { AwsClients } from "./clients.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";

/** The values of every looked-up parameter `template` declares. */
export async function lookupParameters(
  clients: Pick<AwsClients, "route53" | "dynamodb" | "region">,
  spec: AppSpec,
  template: Template,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const declared = template.Parameters;
  if (spec.domain && declared[DOMAIN_LOGICAL_IDS.hostedZoneParameter]) {
    values[DOMAIN_LOGICAL_IDS.hostedZoneParameter] = await hostedZoneId(clients, spec.domain.hostedZone);
  }
  for (const table of Object.values(spec.tables ?? {})) {
    const id = logicalId("tableStreamArnParameter", table.name);
    if (table.global && declared[id]) values[id] = await replicaStreamArn(clients, table.tableName);
  }
  return values;
}

/** The ID (`Z…`) of the public hosted zone named `zone` (no trailing dot). */
export async function hostedZoneId(clients: Pick<AwsClients, "route53">, zone: string): Promise<string> {
  const answer = await clients.route53.send(
    new ListHostedZonesByNameCommand({ DNSName: zone, MaxItems: 10 }),
  );
  // The list starts at `zone` in Route 53's order; a private zone of the same name is no use to
  // public DNS (ACM validation, the app's records).
  const found = (answer.HostedZones ?? []).find(
    (z) => z.Name?.toLowerCase() === `${zone}.` && z.Config?.PrivateZone !== true,
  );
  if (!found?.Id) {
    throw new DeployError(
      DEPLOY_ERROR.parameter,
      `the account has no public Route 53 hosted zone ${zone} (the definition's domain.hostedZone); create it (aws route53 create-hosted-zone --name ${zone} --caller-reference <any>) and delegate the domain to it, then deploy again`,
      { context: { hostedZone: zone } },
    );
  }
  return found.Id.replace(/^\/hostedzone\//, "");
}

/** The stream of `tableName`'s replica in the clients' region. */
export async function replicaStreamArn(
  clients: Pick<AwsClients, "dynamodb" | "region">,
  tableName: string,
): Promise<string> {
  const answer = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  const arn = answer.Table?.LatestStreamArn;
  if (arn === undefined) {
    throw new DeployError(
      DEPLOY_ERROR.parameter,
      `global table ${tableName} has no stream in ${clients.region}; its global table stack should have made the replica with one (deploy it again)`,
      { context: { tableName, region: clients.region } },
    );
  }
  return arn;
}
