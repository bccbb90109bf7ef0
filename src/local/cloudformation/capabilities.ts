/** The capabilities a template needs acknowledged: IAM resources need CAPABILITY_IAM, named ones CAPABILITY_NAMED_IAM. */
import { CFN_ERROR, CfnError } from "./errors.ts";
import type { ParsedTemplate } from "./template/template.ts";

const IAM_NAMES: Readonly<Record<string, string>> = {
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
  "AWS::IAM::Policy": "",
  "AWS::IAM::AccessKey": "",
  "AWS::IAM::UserToGroupAddition": "",
};

export function requiredCapability(
  template: ParsedTemplate,
): "CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM" | undefined {
  let needed: "CAPABILITY_IAM" | "CAPABILITY_NAMED_IAM" | undefined;
  for (const resource of Object.values(template.Resources)) {
    const nameProperty = IAM_NAMES[resource.Type];
    if (nameProperty === undefined) continue;
    if (nameProperty !== "" && resource.Properties?.[nameProperty] !== undefined)
      return "CAPABILITY_NAMED_IAM";
    needed = "CAPABILITY_IAM";
  }
  return needed;
}

/** Throws AWS's InsufficientCapabilitiesException when the caller did not acknowledge IAM resources. */
export function checkCapabilities(template: ParsedTemplate, given: readonly string[]): void {
  const needed = requiredCapability(template);
  if (needed === undefined || given.includes("CAPABILITY_NAMED_IAM")) return;
  if (needed === "CAPABILITY_IAM" && given.includes("CAPABILITY_IAM")) return;
  throw new CfnError(CFN_ERROR.insufficientCapabilities, `Requires capabilities : [${needed}]`);
}
