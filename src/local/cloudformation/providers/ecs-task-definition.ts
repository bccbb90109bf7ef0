/**
 * AWS::ECS::TaskDefinition (issue 19): checked and kept, never run; `sluice cloud` runs a Fargate
 * fleet as a local `sluice serve` from the `Sluice::Server` metadata on it. Every property is
 * create-only, so a change is a new revision of the family (Ref is `…:task-definition/family:N`).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecs-taskdefinition.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html (cpu/memory)
 */
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import type { VersionCounter } from "./lambda-config.ts";
import { arnPrefix, generatedName, type Properties, randomChars, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

function validate(properties: Properties, context: ResourceContext): void {
  const containers = properties.ContainerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ResourceFailure("Container list cannot be empty.");
  }
  for (const container of containers as Properties[]) {
    if (typeof container?.Name !== "string" || typeof container.Image !== "string") {
      throw new ResourceFailure(
        `Properties validation failed for resource ${context.logicalId} with message: #/ContainerDefinitions: required key [Image, Name] not found`,
      );
    }
  }
  const compatibilities = properties.RequiresCompatibilities;
  if (Array.isArray(compatibilities) && compatibilities.includes("FARGATE")) {
    if (stringProp(properties, "NetworkMode") !== "awsvpc") {
      throw new ResourceFailure("Fargate only supports network mode 'awsvpc'.");
    }
    if (properties.Cpu === undefined)
      throw new ResourceFailure("Fargate requires that 'cpu' be defined at the task level.");
    if (properties.Memory === undefined)
      throw new ResourceFailure("Fargate requires that 'memory' be defined at the task level.");
  }
}

export function taskDefinitionProvider(env: ProviderEnv & { readonly versions: VersionCounter }) {
  return defineProvider("AWS::ECS::TaskDefinition", {
    create(properties, context) {
      validate(properties, context);
      const family =
        stringProp(properties, "Family") ??
        generatedName(context, { maxLength: 255, random: env.random ?? randomChars });
      if (!FAMILY.test(family)) {
        throw new ResourceFailure(
          "Family name can have up to 255 characters: letters (upper and lower case), numbers, underscores and hyphens.",
        );
      }
      // Revisions count per family; `/` keeps these keys apart from function names (no `/` in those).
      const revision = env.versions.next(context.region, `task-definition/${family}`);
      const arn = `${arnPrefix(context, "ecs")}:task-definition/${family}:${revision}`;
      return { physicalId: arn, attributes: { TaskDefinitionArn: arn } };
    },
    update: (current) => ({ physicalId: current.physicalId, attributes: current.attributes }),
  });
}
