/**
 * AWS::IAM::InstanceProfile (issue 19): names the one role an instance would take. Nothing to make
 * locally; IAM allows one role per instance profile.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-instanceprofile.html
 */
import { LIMITS } from "../../../model/limits.ts";
import { ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { generatedName, type Properties, randomChars, requiredKey, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

function roles(properties: Properties, logicalId: string): void {
  const value = properties.Roles;
  if (value === undefined) requiredKey({ logicalId }, "Roles");
  if (!Array.isArray(value) || value.some((r) => typeof r !== "string")) {
    throw new ResourceFailure("Property Roles must be a list of role names.");
  }
  const max = LIMITS.iamInstanceProfile.roles.max;
  if (value.length !== max) {
    throw new ResourceFailure(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${max}`);
  }
}

export function instanceProfileProvider(env: ProviderEnv) {
  return defineProvider("AWS::IAM::InstanceProfile", {
    create(properties, context) {
      roles(properties, context.logicalId);
      const name =
        stringProp(properties, "InstanceProfileName") ??
        generatedName(context, {
          maxLength: LIMITS.iamInstanceProfile.name.max,
          random: env.random ?? randomChars,
        });
      if (!LIMITS.iamInstanceProfile.name.pattern.test(name)) {
        throw new ResourceFailure(
          `1 validation error detected: Value '${name}' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
        );
      }
      const path = stringProp(properties, "Path") ?? "/";
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:${context.partition}:iam::${context.accountId}:instance-profile${path}${name}`,
        },
      };
    },
    update(current, properties, context) {
      roles(properties, context.logicalId);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
