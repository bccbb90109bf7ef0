/**
 * The network a server fleet's template needs but cannot know: `<Fleet>FleetVpc` (the VPC of
 * its subnets, for the security groups and the target group) and `<Fleet>FleetSubnets` (the
 * default VPC's default subnets, for a fleet that names none). On AWS these come from EC2's
 * DescribeVpcs (Filter is-default=true) and DescribeSubnets (Filters vpc-id and
 * default-for-az=true, or SubnetIds):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html
 * `sluice cloud` answers both with its one default VPC and two default subnets (local/ec2/).
 */
import type { EC2Client, Subnet } from "@aws-sdk/client-ec2";
import type { AppSpec } from "../../model/app-spec.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { Template } from "../template/template.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";

export interface FleetNetworkLookup {
  /** The default VPC's id and its default subnets' ids; `fleet` names the fleet in errors. */
  defaultNetwork(fleet: string): Promise<{ readonly vpcId: string; readonly subnetIds: readonly string[] }>;
  /** The VPC the given subnets are in (they must share one). */
  vpcOf(subnetIds: readonly string[], fleet: string): Promise<string>;
}

/**
 * EC2's answers (AWS's, or `sluice cloud`'s). `ec2` is called only when a fleet needs a lookup (the EC2 client
 * is large to load, and most apps have no fleet); the default network is looked up once.
 */
export function ec2Network(region: string, ec2: () => Promise<Pick<EC2Client, "send">>): FleetNetworkLookup {
  let found: Promise<{ readonly vpcId: string; readonly subnetIds: readonly string[] }> | undefined;
  const missing = (fleet: string, what: string): DeployError =>
    new DeployError(
      DEPLOY_ERROR.parameter,
      `server fleet ${fleet} runs in the default VPC's subnets, and ${region} ${what}; name subnets in servers.${fleet}.subnets`,
      { context: { region, fleet } },
    );
  return {
    defaultNetwork(fleet) {
      found ??= (async () => {
        const { DescribeVpcsCommand } = await import("@aws-sdk/client-ec2");
        const client = await ec2();
        const vpcs = await client.send(
          new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
        );
        const vpcId = vpcs.Vpcs?.[0]?.VpcId;
        if (vpcId === undefined) throw missing(fleet, "has no default VPC");
        const subnets = await describeSubnets(client, {
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "default-for-az", Values: ["true"] },
          ],
        });
        const subnetIds = subnets.flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])).sort();
        if (subnetIds.length === 0)
          throw missing(fleet, `has no default subnets in its default VPC ${vpcId}`);
        return { vpcId, subnetIds };
      })();
      // A failed lookup is not kept: the next fleet's error names that fleet.
      return found.catch((error: unknown) => {
        found = undefined;
        throw error;
      });
    },
    async vpcOf(subnetIds, fleet) {
      const client = await ec2();
      let subnets: Subnet[];
      try {
        subnets = await describeSubnets(client, { SubnetIds: [...subnetIds] });
      } catch (error) {
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
        if ((error as { name?: string }).name !== "InvalidSubnetID.NotFound") throw error;
        throw new DeployError(
          DEPLOY_ERROR.parameter,
          `servers.${fleet}.subnets: ${(error as Error).message} (in ${region})`,
          { context: { region, fleet } },
        );
      }
      const vpcs = [...new Set(subnets.flatMap((s) => (s.VpcId ? [s.VpcId] : [])))].sort();
      const vpcId = vpcs[0];
      if (vpcs.length !== 1 || vpcId === undefined) {
        throw new DeployError(
          DEPLOY_ERROR.parameter,
          `servers.${fleet}.subnets must be in one VPC of ${region}; they are in ${vpcs.length === 0 ? "none EC2 reports" : vpcs.join(", ")}`,
          { context: { region, fleet } },
        );
      }
      return vpcId;
    },
  };
}

/** Every page of DescribeSubnets (it pages with NextToken when asked to, or when it must). */
async function describeSubnets(
  client: Pick<EC2Client, "send">,
  input: { readonly Filters?: { Name: string; Values: string[] }[]; readonly SubnetIds?: string[] },
): Promise<Subnet[]> {
  const { DescribeSubnetsCommand } = await import("@aws-sdk/client-ec2");
  const out: Subnet[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeSubnetsCommand({ ...input, ...(NextToken ? { NextToken } : {}) }),
    );
    out.push(...(page.Subnets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/**
 * The values of the fleets' network parameters the template declares: the VPC always (of the
 * named subnets, or the default one), the subnets only where the fleet names none.
 */
export async function fleetNetworkParameters(
  spec: AppSpec,
  template: Template,
  network: FleetNetworkLookup,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const declared = template.Parameters;
  for (const fleet of Object.values(spec.servers ?? {})) {
    const vpcParameter = logicalId("fleetVpcParameter", fleet.name);
    const subnetsParameter = logicalId("fleetSubnetsParameter", fleet.name);
    const wantsVpc = declared[vpcParameter] !== undefined;
    const wantsSubnets = declared[subnetsParameter] !== undefined;
    if (!wantsVpc && !wantsSubnets) continue;
    if (fleet.subnets !== undefined && fleet.subnets.length > 0) {
      if (wantsSubnets) values[subnetsParameter] = fleet.subnets.join(",");
      if (wantsVpc) values[vpcParameter] = await network.vpcOf(fleet.subnets, fleet.name);
      continue;
    }
    const found = await network.defaultNetwork(fleet.name);
    if (wantsVpc) values[vpcParameter] = found.vpcId;
    // A List<AWS::EC2::Subnet::Id> parameter's value is the ids joined by commas.
    if (wantsSubnets) values[subnetsParameter] = found.subnetIds.join(",");
  }
  return values;
}
