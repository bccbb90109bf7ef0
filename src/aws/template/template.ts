/**
 * The CloudFormation template as plain data. Values are JSON with intrinsic functions in their
 * long form (`{ "Fn::GetAtt": [...] }`), so the same object serialises to JSON or YAML.
 */

/** A value in a template: JSON, where an object may be an intrinsic function call. */
export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | TemplateValue[]
  | { [key: string]: TemplateValue };

export interface TemplateResource {
  /** `AWS::Service::Resource`. */
  Type: string;
  Properties?: Record<string, TemplateValue>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: "Delete" | "Retain" | "RetainExceptOnCreate" | "Snapshot";
  UpdateReplacePolicy?: "Delete" | "Retain" | "Snapshot";
  Metadata?: Record<string, TemplateValue>;
  /** What CloudFormation waits for before a resource is complete: `ResourceSignal` (cfn-signal). */
  CreationPolicy?: Record<string, TemplateValue>;
  /** How CloudFormation updates it: `AutoScalingRollingUpdate` on an Auto Scaling group. */
  UpdatePolicy?: Record<string, TemplateValue>;
}

export interface TemplateParameter {
  /** `String`, `Number`, `List<AWS::EC2::Subnet::Id>`, `AWS::SSM::Parameter::Value<...>`, ... */
  Type: string;
  Description?: string;
  Default?: string | number;
  AllowedValues?: (string | number)[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  ConstraintDescription?: string;
  /** Masks the value in the console, the API and events: for secrets. */
  NoEcho?: boolean;
}

export interface TemplateOutput {
  Value: TemplateValue;
  Description?: string;
  Export?: { Name: TemplateValue };
  Condition?: string;
}

export interface Template {
  AWSTemplateFormatVersion: "2010-09-09";
  Description?: string;
  Metadata?: Record<string, TemplateValue>;
  Parameters: Record<string, TemplateParameter>;
  Conditions?: Record<string, TemplateValue>;
  Resources: Record<string, TemplateResource>;
  Outputs: Record<string, TemplateOutput>;
}
