/**
 * AWS::ElasticLoadBalancingV2::Listener (issue 19): checked and kept; its load balancer's port
 * is where the fleet's local process listens (elbv2-load-balancer.ts), whatever the listener's.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticloadbalancingv2-listener.html
 */
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { hexId, portProp } from "./fleet-ids.ts";
import { type Properties, requiredKey, requiredString } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const ACTION_TYPES = ["forward", "redirect", "fixed-response", "authenticate-oidc", "authenticate-cognito"];

function validate(properties: Properties, context: ResourceContext): string {
  const lb = requiredString(properties, "LoadBalancerArn", context);
  const actions = properties.DefaultActions;
  if (actions === undefined) requiredKey(context, "DefaultActions");
  if (!Array.isArray(actions) || actions.length === 0) {
    throw new ResourceFailure("A listener must have at least one default action");
  }
  for (const action of actions as Properties[]) {
    const type = typeof action === "object" && action !== null ? action.Type : undefined;
    if (typeof type !== "string" || !ACTION_TYPES.includes(type)) {
      throw new ResourceFailure(
        `Value '${String(type)}' at 'defaultActions.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [${ACTION_TYPES.join(", ")}]`,
      );
    }
    if (type === "forward" && action.TargetGroupArn === undefined && action.ForwardConfig === undefined) {
      throw new ResourceFailure("A target group ARN must be specified");
    }
  }
  portProp(properties, "Port", false, context);
  return lb;
}

export function listenerProvider(env: ProviderEnv) {
  return defineProvider("AWS::ElasticLoadBalancingV2::Listener", {
    create(properties, context) {
      const lb = validate(properties, context);
      const arn = `${lb.replace(":loadbalancer/", ":listener/")}/${hexId(env, "", 16)}`;
      return { physicalId: arn, attributes: { ListenerArn: arn } };
    },
    update(current, properties, context) {
      validate(properties, context);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
