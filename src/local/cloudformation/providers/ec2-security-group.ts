/**
 * AWS::EC2::SecurityGroup (issue 19): kept, not enforced (local processes share the loopback
 * interface; docs/fidelity.md). Ref is the `sg-…` id in a VPC. Each ingress rule names a protocol
 * and exactly one source, as EC2 requires.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
 */
import { ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { hexId, requiredProp } from "./fleet-ids.ts";
import { type Properties, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const SOURCES = [
  "CidrIp",
  "CidrIpv6",
  "SourceSecurityGroupId",
  "SourceSecurityGroupName",
  "SourcePrefixListId",
];

function validate(properties: Properties, logicalId: string): void {
  requiredProp(properties, "GroupDescription", { logicalId });
  for (const key of ["SecurityGroupIngress", "SecurityGroupEgress"]) {
    const rules = properties[key] ?? [];
    if (!Array.isArray(rules)) throw new ResourceFailure(`Property ${key} must be a list of rules.`);
    for (const rule of rules as Properties[]) {
      if (typeof rule !== "object" || rule === null || rule.IpProtocol === undefined) {
        throw new ResourceFailure(
          `Properties validation failed for resource ${logicalId} with message: #/${key}: required key [IpProtocol] not found`,
        );
      }
      const sources =
        SOURCES.filter((s) => rule[s] !== undefined).length +
        (rule.DestinationSecurityGroupId === undefined ? 0 : 1) +
        (rule.DestinationPrefixListId === undefined ? 0 : 1);
      if (key === "SecurityGroupIngress" && sources !== 1) {
        throw new ResourceFailure(
          "Exactly one of CidrIp, CidrIpv6, SourceSecurityGroupId, SourceSecurityGroupName or SourcePrefixListId must be specified for each ingress rule",
        );
      }
    }
  }
}

export function securityGroupProvider(env: ProviderEnv) {
  return defineProvider("AWS::EC2::SecurityGroup", {
    create(properties, context) {
      validate(properties, context.logicalId);
      const id = hexId(env, "sg-", 17);
      const vpc = stringProp(properties, "VpcId") ?? "";
      return { physicalId: id, attributes: { GroupId: id, Id: id, VpcId: vpc } };
    },
    update(current, properties, context) {
      validate(properties, context.logicalId);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
