/** A template made ready to run: parameters typed, conditions decided, resources ordered. */

import { validationError } from "../errors.ts";
import type { ProvisionedResource } from "../resource-provider.ts";
import { evaluateConditions } from "./conditions.ts";
import { resourceGraph, topologicalOrder } from "./dependencies.ts";
import { resolveValue } from "./intrinsics.ts";
import type { EvalScope, ParameterValue, PseudoParameters } from "./scope.ts";
import type { ParsedTemplate, ResourceDeclaration } from "./template.ts";

export interface PreparedTemplate {
  readonly template: ParsedTemplate;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Resources whose Condition holds, by logical id. */
  readonly resources: Readonly<Record<string, ResourceDeclaration>>;
  /** Logical ids, dependencies first. */
  readonly order: readonly string[];
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly pseudo: PseudoParameters;
}

export function prepareTemplate(
  template: ParsedTemplate,
  parameters: Readonly<Record<string, ParameterValue>>,
  pseudo: PseudoParameters,
): PreparedTemplate {
  const base = {
    parameters,
    pseudo,
    mappings: template.Mappings,
    declared: new Set(Object.keys(template.Resources)),
    resource: () => undefined,
  };
  const conditions = evaluateConditions(template.Conditions, base, resolveValue);
  const resources: Record<string, ResourceDeclaration> = {};
  for (const [logicalId, declaration] of Object.entries(template.Resources)) {
    const condition = declaration.Condition;
    if (condition !== undefined && !(condition in conditions)) {
      throw validationError(
        `Template format error: Unresolved condition dependency ${condition} in Resources block of template`,
      );
    }
    if (condition === undefined || conditions[condition]) resources[logicalId] = declaration;
  }
  const dependencies = resourceGraph(resources, new Set(Object.keys(parameters)), conditions);
  const order = topologicalOrder(dependencies);
  return { template, conditions, resources, order, dependencies, parameters, pseudo };
}

/** The scope intrinsic functions read for this template, given what resources exist. */
export function scopeOf(
  prepared: PreparedTemplate,
  resource: (logicalId: string) => ProvisionedResource | undefined,
  attributesKnown?: (logicalId: string) => boolean,
): EvalScope {
  return {
    parameters: prepared.parameters,
    pseudo: prepared.pseudo,
    conditions: prepared.conditions,
    mappings: prepared.template.Mappings,
    declared: new Set(Object.keys(prepared.resources)),
    resource,
    ...(attributesKnown ? { attributesKnown } : {}),
  };
}
