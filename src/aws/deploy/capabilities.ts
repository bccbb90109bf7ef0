/**
 * The capabilities a template needs: CAPABILITY_IAM for any IAM resource, CAPABILITY_NAMED_IAM
 * when one has a custom name, CAPABILITY_AUTO_EXPAND for a Transform.
 */
import type { Capability } from "@aws-sdk/client-cloudformation";
import type { Template } from "../template/template.ts";

const IAM_NAMES = ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"];

export function capabilitiesFor(template: Template): Capability[] {
  const resources = Object.values(template.Resources);
  const iam = resources.filter((r) => r.Type.startsWith("AWS::IAM::"));
  const capabilities: Capability[] = [];
  if (iam.length > 0) capabilities.push("CAPABILITY_IAM");
  if (iam.some((r) => IAM_NAMES.some((name) => r.Properties?.[name] !== undefined))) {
    capabilities.push("CAPABILITY_NAMED_IAM");
  }
  if ((template as { Transform?: unknown }).Transform !== undefined)
    capabilities.push("CAPABILITY_AUTO_EXPAND");
  return capabilities;
}
