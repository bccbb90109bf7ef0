/**
 * AWS::ECS::Service (issue 19): its desired count is how many targets the fleet's target group
 * reports locally; no task starts (the fleet runs as one local `sluice serve`).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-service.html
 */
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  arnPrefix,
  arnTail,
  generatedName,
  numberProp,
  type Properties,
  randomChars,
  stringProp,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const LAUNCH_TYPES = ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];

function settings(properties: Properties, context: ResourceContext): { cluster: string; desired: number } {
  const launchType = stringProp(properties, "LaunchType");
  if (launchType !== undefined && !LAUNCH_TYPES.includes(launchType)) {
    throw new ResourceFailure(
      `Value '${launchType}' at 'launchType' failed to satisfy constraint: Member must satisfy enum value set: [${LAUNCH_TYPES.join(", ")}]`,
    );
  }
  if (properties.TaskDefinition === undefined && launchType !== "EXTERNAL") {
    throw new ResourceFailure(
      `Properties validation failed for resource ${context.logicalId} with message: TaskDefinition is required`,
    );
  }
  const desired =
    numberProp(properties, "DesiredCount", () => {
      throw new ResourceFailure("Value of property DesiredCount must be of type Integer");
    }) ?? 1;
  if (desired < 0) throw new ResourceFailure("Desired count must be greater than or equal to 0.");
  if (launchType === "FARGATE" && properties.NetworkConfiguration === undefined) {
    throw new ResourceFailure(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  const cluster = arnTail(stringProp(properties, "Cluster") ?? "default", ":cluster/");
  return { cluster, desired };
}

export function serviceProvider(env: ProviderEnv) {
  const attributes = (context: ResourceContext, cluster: string, name: string, desired: number) => ({
    ServiceArn: `${arnPrefix(context, "ecs")}:service/${cluster}/${name}`,
    Name: name,
    DesiredCount: desired,
  });
  return defineProvider("AWS::ECS::Service", {
    create(properties, context) {
      const { cluster, desired } = settings(properties, context);
      const name =
        stringProp(properties, "ServiceName") ??
        generatedName(context, { maxLength: 255, random: env.random ?? randomChars });
      const made = attributes(context, cluster, name, desired);
      return { physicalId: made.ServiceArn, attributes: made };
    },
    update(current, properties, context) {
      const { cluster, desired } = settings(properties, context);
      return {
        physicalId: current.physicalId,
        attributes: attributes(context, cluster, String(current.attributes.Name), desired),
      };
    },
  });
}
