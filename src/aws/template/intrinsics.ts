/** CloudFormation intrinsic functions and pseudo parameters, in their long (JSON) form. */
import type { TemplateValue } from "./template.ts";

export const PSEUDO = {
  accountId: "AWS::AccountId",
  partition: "AWS::Partition",
  region: "AWS::Region",
  stackName: "AWS::StackName",
  urlSuffix: "AWS::URLSuffix",
} as const;

/** Every pseudo parameter `Ref` accepts. */
export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  "AWS::AccountId",
  "AWS::NotificationARNs",
  "AWS::NoValue",
  "AWS::Partition",
  "AWS::Region",
  "AWS::StackId",
  "AWS::StackName",
  "AWS::URLSuffix",
]);

export function ref(logicalId: string): { Ref: string } {
  return { Ref: logicalId };
}

export function getAtt(logicalId: string, attribute: string): { "Fn::GetAtt": [string, string] } {
  return { "Fn::GetAtt": [logicalId, attribute] };
}

export function sub(text: string): { "Fn::Sub": string } {
  return { "Fn::Sub": text };
}

/** Joins parts with `delimiter`; a join of plain strings is folded into one string. */
export function join(parts: readonly TemplateValue[], delimiter = ""): TemplateValue {
  if (parts.every((part) => typeof part === "string")) return parts.join(delimiter);
  return { "Fn::Join": [delimiter, [...parts]] };
}

export function base64(value: TemplateValue): { "Fn::Base64": TemplateValue } {
  return { "Fn::Base64": value };
}

/** `arn:${AWS::Partition}:service:${AWS::Region}:${AWS::AccountId}:resource`, with no dependency on any resource. */
export function arn(service: string, resource: string): { "Fn::Sub": string } {
  return sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
}
