/**
 * AWS::ElasticLoadBalancingV2::TargetGroup (issue 19): its port, protocol, target type and health
 * check are checked as ELB checks them and kept; DescribeTargetHealth on `sluice cloud`'s endpoint
 * answers for it from the fleet's local process (local/elbv2/).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-targetgroup.html
 */
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { elbName, hexId, portProp } from "./fleet-ids.ts";
import { arnPrefix, type Properties, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const TARGET_TYPES = ["instance", "ip", "lambda", "alb"];
const PROTOCOLS = ["HTTP", "HTTPS"];

function validate(properties: Properties, context: ResourceContext): void {
  const type = stringProp(properties, "TargetType") ?? "instance";
  if (!TARGET_TYPES.includes(type)) {
    throw new ResourceFailure(
      `Value '${type}' at 'targetType' failed to satisfy constraint: Member must satisfy enum value set: [${TARGET_TYPES.join(", ")}]`,
    );
  }
  if (type === "lambda") return;
  // Port, Protocol and VpcId are required unless the targets are Lambda functions.
  portProp(properties, "Port", true, context);
  const protocol = stringProp(properties, "Protocol");
  if (protocol === undefined || !PROTOCOLS.includes(protocol)) {
    throw new ResourceFailure(
      `A protocol must be specified (one of ${PROTOCOLS.join(", ")} for an application load balancer's target group); got ${protocol ?? "none"}`,
    );
  }
  if (stringProp(properties, "VpcId") === undefined) throw new ResourceFailure("A VPC ID must be specified");
  const path = stringProp(properties, "HealthCheckPath");
  if (path !== undefined && !path.startsWith("/")) {
    throw new ResourceFailure(`Health check path '${path}' must begin with a '/' character`);
  }
}

export function targetGroupProvider(env: ProviderEnv) {
  const attributes = (arn: string, name: string) => ({
    TargetGroupArn: arn,
    TargetGroupName: name,
    TargetGroupFullName: arn.slice(arn.indexOf(":targetgroup/") + 1),
    LoadBalancerArns: [],
  });
  return defineProvider("AWS::ElasticLoadBalancingV2::TargetGroup", {
    create(properties, context) {
      validate(properties, context);
      const name = elbName(properties, context, env, "target group");
      const arn = `${arnPrefix(context, "elasticloadbalancing")}:targetgroup/${name}/${hexId(env, "", 16)}`;
      return { physicalId: arn, attributes: attributes(arn, name) };
    },
    update(current, properties, context) {
      validate(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
