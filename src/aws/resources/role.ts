import type { AppSpec, FunctionSpec } from "../../model/app-spec.ts";
import { functionGrants } from "../../model/iam/function-grants.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { grantResourceValues } from "./references.ts";

export const POLICY_VERSION = "2012-10-17";

/** One execution role per function, holding exactly its grants as one inline policy. */
export function functionRole(spec: AppSpec, fn: FunctionSpec): TemplateResource {
  const statements: TemplateValue[] = functionGrants(spec, fn).map((grant) => ({
    Sid: grant.sid,
    Effect: "Allow",
    Action: [...grant.actions],
    Resource: grant.resources.flatMap((resource) => grantResourceValues(spec, resource)),
  }));
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      Description: `Execution role of ${fn.functionName}`,
      AssumeRolePolicyDocument: {
        Version: POLICY_VERSION,
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      },
      Policies: [
        { PolicyName: "sluice-function", PolicyDocument: { Version: POLICY_VERSION, Statement: statements } },
      ],
    },
  };
}
