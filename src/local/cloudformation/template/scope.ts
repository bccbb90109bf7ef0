/** What intrinsic functions read: parameter values, pseudo parameters, conditions, resources. */
import type { ProvisionedResource } from "../resource-provider.ts";
import type { ParsedTemplate } from "./template.ts";

export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly urlSuffix: string;
}

/** A parameter's value: a string, or a list for `CommaDelimitedList` and `List<…>` types. */
export type ParameterValue = string | readonly string[];

export interface EvalScope {
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly pseudo: PseudoParameters;
  readonly conditions: Readonly<Record<string, boolean>>;
  readonly mappings: ParsedTemplate["Mappings"];
  /** Logical ids of the resources the template declares (after conditions). */
  readonly declared: ReadonlySet<string>;
  /**
   * A resource's provisioned identity, or undefined when it is not known yet (to be created or
   * replaced): the value then resolves to `Unresolved`, which change sets show as dynamic.
   */
  resource(logicalId: string): ProvisionedResource | undefined;
  /** Whether `Fn::GetAtt` of this resource is known before execution (false for modified ones). */
  attributesKnown?(logicalId: string): boolean;
}
