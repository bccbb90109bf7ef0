/**
 * A resource's `Metadata` under one key, resolved against its stack (parameters, pseudo
 * parameters, the stack's resources' Refs and attributes), for the host to read what a template
 * says beside the resources: `Sluice::Server` on a server fleet's launch template or task
 * definition (issue 19) tells `sluice cloud` which local `sluice serve` to run.
 */
import type { StackRecord } from "./records.ts";
import type { ProvisionedResource } from "./resource-provider.ts";
import { prepareStack } from "./stack-template.ts";
import { scopeOf } from "./template/evaluate-template.ts";
import { isUnresolved, resolveValue } from "./template/intrinsics.ts";

export interface ResourceMetadata {
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
  /** The value under the key, every intrinsic function resolved. */
  readonly metadata: unknown;
}

export function stackMetadata(
  stack: StackRecord,
  accountId: string,
  key: string,
  resources: readonly {
    readonly logicalId: string;
    readonly resourceType: string;
    readonly physicalId?: string;
    readonly attributes: Readonly<Record<string, unknown>>;
  }[],
): ResourceMetadata[] {
  const prepared = prepareStack(stack, accountId);
  const byId = new Map(resources.map((r) => [r.logicalId, r]));
  const scope = scopeOf(prepared, (id): ProvisionedResource | undefined => {
    const r = byId.get(id);
    return r?.physicalId === undefined ? undefined : { physicalId: r.physicalId, attributes: r.attributes };
  });
  const found: ResourceMetadata[] = [];
  for (const [logicalId, declaration] of Object.entries(prepared.template.Resources)) {
    const meta = declaration.Metadata;
    const resource = byId.get(logicalId);
    if (typeof meta !== "object" || meta === null || !Object.hasOwn(meta, key)) continue;
    if (resource?.physicalId === undefined) continue;
    const metadata = resolveValue((meta as Record<string, unknown>)[key], scope);
    if (isUnresolved(metadata)) continue;
    found.push({
      stackName: stack.name,
      stackId: stack.stackId,
      logicalId,
      resourceType: resource.resourceType,
      physicalId: resource.physicalId,
      metadata,
    });
  }
  return found;
}
