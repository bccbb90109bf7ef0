/**
 * AWS::IAM::Role: nothing to create locally (there is no STS assume-role), but the role's name,
 * path and inline policies are checked as IAM does, and its inline policy statements become the
 * permissions the endpoint's IAM guard checks a function's calls against.
 */
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  generatedName,
  jsonProp,
  type Properties,
  randomChars,
  stringProp,
  UPPER_ALNUM,
} from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^\/(?:[\u0021-\u007E]*\/)?$/;

function validate(properties: Properties): void {
  if (jsonProp(properties, "AssumeRolePolicyDocument") === undefined) {
    throw new ResourceFailure(
      "Properties validation failed: #: required key [AssumeRolePolicyDocument] not found",
    );
  }
  const policies = properties.Policies ?? [];
  if (!Array.isArray(policies)) throw new ResourceFailure("Property Policies must be a list of policies.");
  for (const policy of policies as Properties[]) {
    if (typeof policy?.PolicyName !== "string" || policy.PolicyDocument === undefined) {
      throw new ResourceFailure("Each of the role's Policies needs a PolicyName and a PolicyDocument.");
    }
    jsonProp(policy, "PolicyDocument");
  }
}

export function roleProvider(env: ProviderEnv) {
  const random = env.random ?? randomChars;
  const attributes = (name: string, path: string, context: ResourceContext, roleId: string) => ({
    Arn: `arn:${context.partition}:iam::${context.accountId}:role${path}${name}`,
    RoleId: roleId,
  });
  return defineProvider("AWS::IAM::Role", {
    create(properties, context) {
      validate(properties);
      const name = stringProp(properties, "RoleName") ?? generatedName(context, { maxLength: 64, random });
      if (!ROLE_NAME.test(name)) {
        throw new ResourceFailure(
          `1 validation error detected: Value '${name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
        );
      }
      const path = stringProp(properties, "Path") ?? "/";
      if (!PATH.test(path) || path.length > 512) {
        throw new ResourceFailure(
          `1 validation error detected: Value '${path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)`,
        );
      }
      return {
        physicalId: name,
        attributes: attributes(name, path, context, `AROA${random(17, UPPER_ALNUM)}`),
      };
    },
    update(current, properties) {
      validate(properties);
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
  });
}
