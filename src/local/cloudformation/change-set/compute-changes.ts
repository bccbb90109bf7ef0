/**
 * A change set's resource changes: the new template (resolved as far as the current resources
 * allow) against what the stack holds. Values depending on a resource still to be made are
 * dynamic, as AWS shows them.
 */

import type { ResourceRecord } from "../records.ts";
import type { ProviderRegistry, ProvisionedResource } from "../resource-provider.ts";
import { references } from "../template/dependencies.ts";
import { type PreparedTemplate, scopeOf } from "../template/evaluate-template.ts";
import { isUnresolved, resolveValue, waitsFor } from "../template/intrinsics.ts";
import type { ParsedTemplate } from "../template/template.ts";
import { changedProperties, mayReplaceOn, replacesOn, sameValue } from "./property-diff.ts";
import { type ChangeDetail, REQUIRES_RECREATION, type ResourceChange } from "./resource-change.ts";

export interface ChangeInput {
  readonly prepared: PreparedTemplate;
  /** The stack's live resources (none for a new stack). */
  readonly current: readonly ResourceRecord[];
  readonly previousTemplate?: ParsedTemplate;
  readonly previousParameters?: Readonly<Record<string, string>>;
  readonly parameters: Readonly<Record<string, string>>;
  readonly providers: ProviderRegistry;
}

export interface ChangeResult {
  readonly changes: readonly ResourceChange[];
  /** `AWS::EC2::Instance (WebServer)` for each resource no provider runs. */
  readonly unsupported: readonly string[];
  /** Reasons the update cannot happen at all (a resource's type changed). */
  readonly refusals: readonly string[];
}

export function computeChanges(input: ChangeInput): ChangeResult {
  const { prepared, providers } = input;
  const current = new Map(
    input.current.filter((r) => r.physicalId !== undefined).map((r) => [r.logicalId, r]),
  );
  const pending = new Set<string>();
  const changes: ResourceChange[] = [];
  const unsupported: string[] = [];
  const refusals: string[] = [];
  const changedParameters = new Set(
    Object.keys(input.parameters).filter((k) => input.previousParameters?.[k] !== input.parameters[k]),
  );
  const scope = scopeOf(prepared, (id): ProvisionedResource | undefined => {
    const resource = pending.has(id) ? undefined : current.get(id);
    return resource ? { physicalId: resource.physicalId ?? "", attributes: resource.attributes } : undefined;
  });

  for (const logicalId of prepared.order) {
    const declaration = prepared.resources[logicalId];
    if (!declaration) continue;
    const provider = providers(declaration.Type);
    if (!provider) unsupported.push(`${declaration.Type} (${logicalId})`);
    const existing = current.get(logicalId);
    if (!existing) {
      pending.add(logicalId);
      changes.push({ action: "Add", logicalId, resourceType: declaration.Type, scope: [], details: [] });
      continue;
    }
    if (existing.resourceType !== declaration.Type) {
      refusals.push(
        `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${logicalId}]`,
      );
      continue;
    }
    const after = resolveValue(declaration.Properties ?? {}, scope) as Record<string, unknown>;
    const replaceOn = provider?.replaceOn ?? [];
    const previousExpression = input.previousTemplate?.Resources[logicalId]?.Properties ?? {};
    const details: ChangeDetail[] = [];
    for (const name of changedProperties(existing.properties, after)) {
      const value = after[name];
      if (isUnresolved(value)) {
        const [cause] = waitsFor(value);
        details.push({
          target: {
            attribute: "Properties",
            name,
            requiresRecreation: mayReplaceOn(name, replaceOn)
              ? REQUIRES_RECREATION.conditionally
              : REQUIRES_RECREATION.never,
          },
          evaluation: "Dynamic",
          changeSource: cause?.attribute ? "ResourceAttribute" : "ResourceReference",
          ...(cause
            ? { causingEntity: cause.attribute ? `${cause.logicalId}.${cause.attribute}` : cause.logicalId }
            : {}),
        });
        continue;
      }
      const expression = declaration.Properties?.[name];
      const sameExpression = sameValue(expression, previousExpression[name]);
      const parameter = sameExpression
        ? [...references(expression, prepared.conditions)].find((ref) => changedParameters.has(ref))
        : undefined;
      details.push({
        target: {
          attribute: "Properties",
          name,
          requiresRecreation: replacesOn(name, replaceOn, existing.properties, after)
            ? REQUIRES_RECREATION.always
            : REQUIRES_RECREATION.never,
        },
        evaluation: "Static",
        changeSource: parameter ? "ParameterReference" : "DirectModification",
        ...(parameter ? { causingEntity: parameter } : {}),
      });
    }
    if (details.length === 0) continue;
    const recreation = details.map((d) => d.target.requiresRecreation);
    const replacement = recreation.includes(REQUIRES_RECREATION.always)
      ? "True"
      : recreation.includes(REQUIRES_RECREATION.conditionally)
        ? "Conditional"
        : "False";
    if (replacement !== "False") pending.add(logicalId);
    changes.push({
      action: "Modify",
      logicalId,
      ...(existing.physicalId ? { physicalId: existing.physicalId } : {}),
      resourceType: declaration.Type,
      replacement,
      scope: ["Properties"],
      details,
    });
  }

  const removed = [...current.values()].filter((r) => !(r.logicalId in prepared.resources)).reverse();
  for (const resource of removed) {
    if (!providers(resource.resourceType))
      unsupported.push(`${resource.resourceType} (${resource.logicalId})`);
    changes.push({
      action: "Remove",
      logicalId: resource.logicalId,
      ...(resource.physicalId ? { physicalId: resource.physicalId } : {}),
      resourceType: resource.resourceType,
      scope: [],
      details: [],
    });
  }
  return { changes, unsupported, refusals };
}
