/** A stack's stored template made ready to evaluate, and its Outputs resolved. */
import { partition, urlSuffix } from "../../model/naming.ts";
import { validationError } from "./errors.ts";
import type { OutputRecord, StackDefinition } from "./records.ts";
import type { ProvisionedResource } from "./resource-provider.ts";
import { conditionValue } from "./template/conditions.ts";
import { type PreparedTemplate, prepareTemplate, scopeOf } from "./template/evaluate-template.ts";
import { isUnresolved, resolveValue } from "./template/intrinsics.ts";
import { resolveParameters } from "./template/parameters.ts";
import type { PseudoParameters } from "./template/scope.ts";
import { parseTemplate } from "./template/template.ts";

export interface StackIdentity {
  readonly region: string;
  readonly name: string;
  readonly stackId: string;
}

export function pseudoOf(stack: StackIdentity, accountId: string): PseudoParameters {
  const p = partition(stack.region);
  return {
    region: stack.region,
    accountId,
    partition: p,
    stackName: stack.name,
    stackId: stack.stackId,
    urlSuffix: urlSuffix(stack.region),
  };
}

/** The stack's template with its stored parameter values (already validated when stored). */
export function prepareStack(stack: StackIdentity & StackDefinition, accountId: string): PreparedTemplate {
  const template = parseTemplate(stack.templateBody);
  const given = Object.entries(stack.parameters).map(([key, value]) => ({ key, value }));
  const { values } = resolveParameters(template.Parameters, given, undefined);
  return prepareTemplate(template, values, pseudoOf(stack, accountId));
}

/** Outputs whose Condition holds, with every value resolved against the stack's resources. */
export function resolveOutputs(
  prepared: PreparedTemplate,
  resource: (logicalId: string) => ProvisionedResource | undefined,
): OutputRecord[] {
  const scope = scopeOf(prepared, resource);
  const outputs: OutputRecord[] = [];
  for (const [key, output] of Object.entries(prepared.template.Outputs ?? {})) {
    if (
      output.Condition !== undefined &&
      !conditionValue({ Condition: output.Condition }, scope, resolveValue)
    )
      continue;
    const value = resolveValue(output.Value, scope);
    if (isUnresolved(value)) throw validationError(`Output ${key} refers to a resource that does not exist.`);
    const exportName = output.Export === undefined ? undefined : resolveValue(output.Export.Name, scope);
    outputs.push({
      key,
      value: Array.isArray(value)
        ? value.join(",")
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value),
      ...(output.Description === undefined ? {} : { description: output.Description }),
      ...(exportName === undefined ? {} : { exportName: String(exportName) }),
    });
  }
  return outputs;
}
