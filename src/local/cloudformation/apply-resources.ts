/**
 * The forward half of a create or update: every resource of the new template made or changed,
 * each as soon as what it depends on is done (independent resources run concurrently, as AWS
 * runs them). After the first failure nothing new starts; resources still in flight finish as
 * "cancelled" so the rollback undoes them too.
 */

import type { CfnStore } from "./cfn-store.ts";
import { changedProperties, replacesOn, sameValue } from "./change-set/property-diff.ts";
import type { ResourceRecord, ResourceState, StackRecord } from "./records.ts";
import type {
  CurrentResource,
  ProvisionedResource,
  ResourceContext,
  ResourceProvider,
} from "./resource-provider.ts";
import type { StackJournal } from "./stack-journal.ts";
import { prepareStack } from "./stack-template.ts";
import { scopeOf } from "./template/evaluate-template.ts";
import { resolveValue } from "./template/intrinsics.ts";
import type { EvalScope } from "./template/scope.ts";
import type { ResourceDeclaration } from "./template/template.ts";

/** The first resource failure of an operation: what the stack's status reason names. */
export class ResourceStepFailed extends Error {
  constructor(
    readonly logicalId: string,
    readonly verb: "create" | "update",
    reason: string,
  ) {
    super(reason);
  }
}

export interface ApplyDeps {
  readonly journal: StackJournal;
  readonly store: CfnStore;
  readonly accountId: string;
  provider(type: string, logicalId: string): ResourceProvider;
  context(stack: StackRecord, logicalId: string, resourceType: string): ResourceContext;
}

export const CANCELLED = {
  create: "Resource creation cancelled",
  update: "Resource update cancelled",
} as const;

export async function applyResources(deps: ApplyDeps, stack: StackRecord): Promise<void> {
  const prepared = prepareStack(stack, deps.accountId);
  const rows = new Map(deps.journal.resources(stack.stackId).map((r) => [r.logicalId, r]));
  const scope = scopeOf(prepared, (id) => {
    const row = live(rows, id);
    return row ? { physicalId: row.physicalId as string, attributes: row.attributes } : undefined;
  });
  const done = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const state = { failure: undefined as unknown };
  const startReady = (): void => {
    if (state.failure !== undefined) return;
    for (const logicalId of prepared.order) {
      if (done.has(logicalId) || running.has(logicalId)) continue;
      if (!(prepared.dependencies.get(logicalId) ?? []).every((d) => done.has(d))) continue;
      const declaration = prepared.resources[logicalId] as ResourceDeclaration;
      const work = applyOne(
        deps,
        stack,
        rows,
        scope,
        logicalId,
        declaration,
        () => state.failure !== undefined,
      )
        .then(
          () => {
            done.add(logicalId);
          },
          (error: unknown) => {
            state.failure ??= error;
          },
        )
        .finally(() => running.delete(logicalId));
      running.set(logicalId, work);
    }
  };
  startReady();
  while (running.size > 0) {
    await Promise.race(running.values());
    startReady();
  }
  if (state.failure !== undefined) throw state.failure;
}

function live(rows: ReadonlyMap<string, ResourceRecord>, id: string): ResourceRecord | undefined {
  const row = rows.get(id);
  return row?.physicalId !== undefined && row.status !== "DELETE_COMPLETE" ? row : undefined;
}

async function applyOne(
  deps: ApplyDeps,
  stack: StackRecord,
  rows: Map<string, ResourceRecord>,
  scope: EvalScope,
  logicalId: string,
  declaration: ResourceDeclaration,
  cancelled: () => boolean,
): Promise<void> {
  const { journal } = deps;
  const existing = live(rows, logicalId);
  const verb = existing ? "update" : "create";
  const base = {
    stackId: stack.stackId,
    logicalId,
    resourceType: declaration.Type,
    properties: existing?.properties ?? {},
    attributes: existing?.attributes ?? {},
    ...(existing?.physicalId === undefined ? {} : { physicalId: existing.physicalId }),
    ...(declaration.DeletionPolicy === undefined ? {} : { deletionPolicy: declaration.DeletionPolicy }),
    ...(declaration.UpdateReplacePolicy === undefined
      ? {}
      : { updateReplacePolicy: declaration.UpdateReplacePolicy }),
    previous: existing ? (existing.previous === undefined ? stateOf(existing) : existing.previous) : null,
  };
  let properties: Record<string, unknown>;
  let provider: ResourceProvider;
  try {
    provider = deps.provider(declaration.Type, logicalId);
    properties = resolveValue(declaration.Properties ?? {}, scope) as Record<string, unknown>;
  } catch (error) {
    const reason = (error as Error).message;
    journal.resource(stack, base, existing ? "UPDATE_FAILED" : "CREATE_FAILED", reason);
    throw new ResourceStepFailed(logicalId, verb, reason);
  }
  const context = deps.context(stack, logicalId, declaration.Type);
  /** Runs the provider call and records its outcome (complete, failed, or cancelled meanwhile). */
  const step = async (pending: ResourceRecord, call: () => Promise<ProvisionedResource>): Promise<void> => {
    const failed = verb === "create" ? "CREATE_FAILED" : "UPDATE_FAILED";
    let made: ProvisionedResource;
    try {
      made = await call();
    } catch (error) {
      journal.check();
      const reason = error instanceof Error ? error.message : String(error);
      journal.resource(stack, pending, failed, reason);
      throw new ResourceStepFailed(logicalId, verb, reason);
    }
    journal.check();
    const record = { ...pending, ...made, properties };
    if (cancelled()) {
      // Kept with its physical id, so the rollback deletes or restores it like the others.
      rows.set(logicalId, journal.resource(stack, record, failed, CANCELLED[verb]));
      throw new ResourceStepFailed(logicalId, verb, CANCELLED[verb]);
    }
    rows.set(
      logicalId,
      journal.resource(stack, record, verb === "create" ? "CREATE_COMPLETE" : "UPDATE_COMPLETE"),
    );
  };

  if (!existing) {
    const pending = journal.resource(stack, { ...base, properties }, "CREATE_IN_PROGRESS");
    return step(pending, () => provider.create(properties, context));
  }
  const changed = changedProperties(existing.properties, properties);
  if (changed.length === 0) {
    if (
      existing.deletionPolicy !== base.deletionPolicy ||
      existing.updateReplacePolicy !== base.updateReplacePolicy
    ) {
      const { previous: _p, ...kept } = base;
      deps.store.putResource({ ...existing, ...kept });
    }
    return;
  }
  const replace = changed.some((name) =>
    replacesOn(name, provider.replaceOn, existing.properties, properties),
  );
  const touched = { ...base, properties: existing.properties };
  if (!replace) {
    const pending = journal.resource(stack, touched, "UPDATE_IN_PROGRESS");
    const current = currentOf(existing);
    return step(pending, () => provider.update(current, properties, context));
  }
  const name = provider.nameProperty;
  if (
    name !== undefined &&
    properties[name] !== undefined &&
    sameValue(properties[name], existing.properties[name])
  ) {
    const reason = `CloudFormation cannot update a stack when a custom-named resource requires replacing. Rename ${String(properties[name])} and update the stack again.`;
    journal.resource(stack, touched, "UPDATE_FAILED", reason);
    throw new ResourceStepFailed(logicalId, "update", reason);
  }
  const pending = journal.resource(
    stack,
    touched,
    "UPDATE_IN_PROGRESS",
    "Requested update requires the creation of a new physical resource; hence creating one.",
  );
  return step(pending, () => provider.create(properties, context));
}

export function stateOf(row: ResourceRecord): ResourceState {
  return {
    resourceType: row.resourceType,
    ...(row.physicalId === undefined ? {} : { physicalId: row.physicalId }),
    properties: row.properties,
    attributes: row.attributes,
    ...(row.deletionPolicy === undefined ? {} : { deletionPolicy: row.deletionPolicy }),
    ...(row.updateReplacePolicy === undefined ? {} : { updateReplacePolicy: row.updateReplacePolicy }),
  };
}

export function currentOf(state: ResourceState): CurrentResource {
  return { physicalId: state.physicalId ?? "", attributes: state.attributes, properties: state.properties };
}
