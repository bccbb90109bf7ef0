/**
 * AWS::ECS::Cluster (issue 19): a name and an ARN; no capacity runs locally.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-cluster.html
 */
import { ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { arnPrefix, generatedName, randomChars, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function clusterProvider(env: ProviderEnv) {
  return defineProvider("AWS::ECS::Cluster", {
    create(properties, context) {
      const name =
        stringProp(properties, "ClusterName") ??
        generatedName(context, { maxLength: 255, random: env.random ?? randomChars });
      if (!NAME.test(name)) {
        throw new ResourceFailure(
          "Cluster name can have up to 255 characters: letters (upper and lower case), numbers, underscores and hyphens.",
        );
      }
      return { physicalId: name, attributes: { Arn: `${arnPrefix(context, "ecs")}:cluster/${name}` } };
    },
  });
}
