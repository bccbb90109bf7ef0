/**
 * AWS::ElasticLoadBalancingV2::LoadBalancer (issue 19). No load balancer runs locally: a fleet's
 * local `sluice serve` process listens on a port the load balancer takes for good when it is
 * made, and its DNSName is `127.0.0.1:<port>`, so `http://${DNSName}` (the fleet's URL output)
 * reaches the fleet (docs/fidelity.md). Application load balancers only.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-loadbalancer.html
 */
import { LIMITS } from "../../../model/limits.ts";
import { ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { elbName, hexId, stringList } from "./fleet-ids.ts";
import { arnPrefix, type Properties, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

/**
 * The hosted zone a local load balancer's alias records name: a fixed id, as each AWS Region has
 * one for its application load balancers (https://docs.aws.amazon.com/general/latest/gr/elb.html).
 */
const LOCAL_ELB_HOSTED_ZONE_ID = "Z0SLUICELOCALELB0000";

/** The port a load balancer's DNSName (`127.0.0.1:<port>`) carries. */
export const LOAD_BALANCER_PORT_ATTRIBUTE = "SluicePort";

function validate(properties: Properties): void {
  const type = stringProp(properties, "Type") ?? "application";
  if (type !== "application") {
    throw new ResourceFailure(`The local cloud runs application load balancers only; got Type ${type}.`);
  }
  const scheme = stringProp(properties, "Scheme") ?? "internet-facing";
  if (scheme !== "internet-facing" && scheme !== "internal") {
    throw new ResourceFailure(
      `Value '${scheme}' at 'scheme' failed to satisfy constraint: Member must satisfy enum value set: [internet-facing, internal]`,
    );
  }
  // An application load balancer needs subnets in at least two Availability Zones.
  const subnets = stringList(properties, "Subnets") ?? [];
  const mappings = Array.isArray(properties.SubnetMappings) ? properties.SubnetMappings.length : 0;
  if (subnets.length + mappings < LIMITS.elb.loadBalancerSubnets.min) {
    throw new ResourceFailure("At least two subnets in two different Availability Zones must be specified");
  }
}

export function loadBalancerProvider(env: ProviderEnv) {
  const host = env.apiHost ?? "127.0.0.1";
  const attributes = (arn: string, name: string, port: number, properties: Properties) => {
    const fullName = arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
    return {
      LoadBalancerArn: arn,
      LoadBalancerName: name,
      LoadBalancerFullName: fullName,
      DNSName: `${host}:${port}`,
      CanonicalHostedZoneID: LOCAL_ELB_HOSTED_ZONE_ID,
      SecurityGroups: stringList(properties, "SecurityGroups") ?? [],
      [LOAD_BALANCER_PORT_ATTRIBUTE]: port,
    };
  };
  return defineProvider("AWS::ElasticLoadBalancingV2::LoadBalancer", {
    async create(properties, context) {
      validate(properties);
      const name = elbName(properties, context, env, "load balancer");
      const arn = `${arnPrefix(context, "elasticloadbalancing")}:loadbalancer/app/${name}/${hexId(env, "", 16)}`;
      const port = await env.allocatePort();
      return { physicalId: arn, attributes: attributes(arn, name, port, properties) };
    },
    update(current, properties) {
      validate(properties);
      const port = Number(current.attributes[LOAD_BALANCER_PORT_ATTRIBUTE]);
      const name = String(current.attributes.LoadBalancerName);
      return {
        physicalId: current.physicalId,
        attributes: attributes(current.physicalId, name, port, properties),
      };
    },
  });
}
