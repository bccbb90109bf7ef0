/**
 * Runs stack operations as CloudFormation does: creates and updates in dependency order, old and
 * removed resources deleted in a cleanup phase, every transition an event, and a failure rolled
 * back (ROLLBACK_* for a new stack, UPDATE_ROLLBACK_* for an update). Every step is stored before
 * the next provider call, so a restart can roll back what a crash interrupted.
 */
import type { Clock } from "../clock/index.ts";
import { applyResources, currentOf, ResourceStepFailed } from "./apply-resources.ts";
import type { CfnStore } from "./cfn-store.ts";
import { sameValue } from "./change-set/property-diff.ts";
import {
  type ChangeSetRecord,
  OPERATION,
  type ResourceRecord,
  type ResourceState,
  type StackRecord,
} from "./records.ts";
import type { ProviderRegistry, ResourceContext, ResourceProvider } from "./resource-provider.ts";
import { OperationAbandoned, StackJournal } from "./stack-journal.ts";
import { prepareStack, pseudoOf, resolveOutputs } from "./stack-template.ts";
import type { PreparedTemplate } from "./template/evaluate-template.ts";

export interface OperationDeps {
  readonly store: CfnStore;
  readonly clock: Clock;
  readonly providers: ProviderRegistry;
  readonly accountId: string;
  readonly endpointUrl: () => string;
  readonly onSettled?: (region: string) => Promise<void>;
  readonly isClosed: () => boolean;
}

const RETAIN = "Retain";
const CRASH_REASON =
  "The local cloud stopped while this operation ran; it was rolled back when the local cloud started again.";

export class StackOperations {
  private readonly journal: StackJournal;

  constructor(private readonly deps: OperationDeps) {
    this.journal = new StackJournal(deps.store, deps.clock, deps.isClosed);
  }

  /** Executes a change set whose stack is already marked *_IN_PROGRESS by the caller. */
  async execute(stackId: string, changeSet: ChangeSetRecord): Promise<void> {
    let stack = this.journal.stack(stackId);
    const create = changeSet.type === OPERATION.create;
    try {
      await applyResources(
        {
          journal: this.journal,
          store: this.deps.store,
          accountId: this.deps.accountId,
          provider: (type, logicalId) => this.provider(type, logicalId),
          context: (s, logicalId, type) => this.context(s, logicalId, type),
        },
        stack,
      );
      stack = this.journal.stack(stackId);
      const outputs = this.outputs(stack);
      if (create) this.clearTouched(stackId);
      else {
        stack = this.journal.setStatus(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", undefined, { outputs });
        await this.cleanup(stack);
      }
      await this.settle(stack.region);
      this.journal.finish(stackId, create ? "CREATE_COMPLETE" : "UPDATE_COMPLETE", undefined, { outputs });
    } catch (error) {
      if (error instanceof OperationAbandoned || this.deps.isClosed()) return;
      const failure = error instanceof ResourceStepFailed ? error : undefined;
      const reason = failure
        ? `The following resource(s) failed to ${failure.verb}: [${failure.logicalId}]. `
        : `Stack operation failed: ${(error as Error).message}`;
      if (create) await this.rollbackCreate(stackId, `${reason}Rollback requested by user.`);
      else await this.rollbackUpdate(stackId, reason);
    }
  }

  /** After a successful update: deletes replaced physical resources and removed resources. */
  private async cleanup(stack: StackRecord): Promise<void> {
    const prepared = prepareStack(stack, this.deps.accountId);
    const rows = this.journal.resources(stack.stackId);
    for (const row of [...rows].reverse()) {
      const old = row.previous;
      if (old?.physicalId !== undefined && old.physicalId !== row.physicalId) {
        if (row.updateReplacePolicy === RETAIN) {
          this.journal.event(stack, row.logicalId, old.physicalId, row.resourceType, "DELETE_SKIPPED");
        } else {
          await this.deletePhysical(stack, row.logicalId, old, false);
        }
      }
    }
    for (const row of this.removalOrder(
      rows.filter((r) => !(r.logicalId in prepared.resources)),
      undefined,
    )) {
      if (row.physicalId !== undefined && row.status !== "DELETE_COMPLETE") {
        if (row.deletionPolicy === RETAIN) {
          this.journal.event(stack, row.logicalId, row.physicalId, row.resourceType, "DELETE_SKIPPED");
        } else {
          await this.deletePhysical(stack, row.logicalId, row, false);
        }
      }
      this.journal.removeResource(stack.stackId, row.logicalId);
    }
    this.clearTouched(stack.stackId);
  }

  /** Deletes one physical resource with its events; returns the failure's reason, if any. */
  private async deletePhysical(
    stack: StackRecord,
    logicalId: string,
    state: ResourceState,
    strict: boolean,
  ): Promise<string | undefined> {
    const physicalId = state.physicalId ?? "";
    this.journal.event(stack, logicalId, physicalId, state.resourceType, "DELETE_IN_PROGRESS");
    try {
      const provider = this.provider(state.resourceType, logicalId);
      await provider.delete(currentOf(state), this.context(stack, logicalId, state.resourceType));
      this.journal.check();
      this.journal.event(stack, logicalId, physicalId, state.resourceType, "DELETE_COMPLETE");
      return undefined;
    } catch (error) {
      this.journal.check();
      const reason = reasonOf(error);
      this.journal.event(stack, logicalId, physicalId, state.resourceType, "DELETE_FAILED", reason);
      if (strict) throw error;
      return reason;
    }
  }

  /** A new stack failed: delete everything it made, then ROLLBACK_COMPLETE (only deletable). */
  async rollbackCreate(stackId: string, reason: string): Promise<void> {
    let stack = this.journal.stack(stackId);
    if (stack.status !== "ROLLBACK_IN_PROGRESS")
      stack = this.journal.setStatus(stack, "ROLLBACK_IN_PROGRESS", reason);
    const failed: string[] = [];
    for (const row of this.removalOrder(this.journal.resources(stackId), stack)) {
      if (row.status === "DELETE_COMPLETE") continue;
      if (row.physicalId === undefined) {
        this.journal.resource(stack, row, "DELETE_COMPLETE");
        continue;
      }
      const problem = await this.deletePhysical(stack, row.logicalId, row, false);
      if (problem === undefined) this.journal.resource(stack, { ...row, previous: null }, "DELETE_COMPLETE");
      else {
        failed.push(row.logicalId);
        this.deps.store.putResource({ ...row, status: "DELETE_FAILED", statusReason: problem });
      }
    }
    await this.settle(stack.region);
    this.conclude(stackId, failed, "delete", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE");
  }

  /** An update failed: restore every touched resource and the previous template, then clean up. */
  async rollbackUpdate(stackId: string, reason: string): Promise<void> {
    let stack = this.journal.stack(stackId);
    const previous = stack.operation?.previous;
    if (
      stack.status !== "UPDATE_ROLLBACK_IN_PROGRESS" &&
      stack.status !== "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
    ) {
      stack = this.journal.setStatus(stack, "UPDATE_ROLLBACK_IN_PROGRESS", reason, previous ?? {});
    }
    const toDelete: { logicalId: string; state: ResourceState }[] = [];
    const failed: string[] = [];
    const rows = this.journal.resources(stackId);
    for (const row of rows) {
      const old = row.previous;
      if (old === undefined) continue;
      if (old === null) {
        if (row.physicalId !== undefined) toDelete.push({ logicalId: row.logicalId, state: row });
        this.journal.removeResource(stackId, row.logicalId);
        continue;
      }
      const restored = { ...row, ...old, previous: undefined };
      if (old.physicalId !== row.physicalId) {
        if (row.physicalId !== undefined) toDelete.push({ logicalId: row.logicalId, state: row });
        this.journal.resource(stack, restored, "UPDATE_COMPLETE");
        continue;
      }
      if (sameValue(row.properties, old.properties) && row.status !== "UPDATE_IN_PROGRESS") {
        this.journal.resource(stack, restored, "UPDATE_COMPLETE");
        continue;
      }
      this.journal.resource(stack, row, "UPDATE_IN_PROGRESS");
      try {
        const provider = this.provider(row.resourceType, row.logicalId);
        const made = await provider.update(
          currentOf(row),
          old.properties,
          this.context(stack, row.logicalId, row.resourceType),
        );
        this.journal.check();
        this.journal.resource(stack, { ...restored, ...made }, "UPDATE_COMPLETE");
      } catch (error) {
        this.failedStep(stack, row, "UPDATE_FAILED", error, failed);
      }
    }
    stack = this.journal.setStatus(
      this.journal.stack(stackId),
      "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
      undefined,
    );
    for (const { logicalId, state } of toDelete.reverse())
      await this.deletePhysical(stack, logicalId, state, false);
    this.clearTouched(stackId);
    await this.settle(stack.region);
    this.conclude(stackId, failed, "update", "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE");
  }

  /** Deletes every resource (DeletionPolicy Retain honoured), then DELETE_COMPLETE or DELETE_FAILED. */
  async deleteStack(stackId: string): Promise<void> {
    const stack = this.journal.stack(stackId);
    const failed: string[] = [];
    for (const row of this.removalOrder(this.journal.resources(stackId), stack)) {
      if (row.status === "DELETE_COMPLETE" || row.status === "DELETE_SKIPPED") continue;
      if (row.physicalId === undefined) {
        this.journal.resource(stack, row, "DELETE_COMPLETE");
        continue;
      }
      if (row.deletionPolicy === RETAIN) {
        this.journal.resource(stack, row, "DELETE_SKIPPED");
        continue;
      }
      this.journal.resource(stack, row, "DELETE_IN_PROGRESS");
      try {
        const provider = this.provider(row.resourceType, row.logicalId);
        await provider.delete(currentOf(row), this.context(stack, row.logicalId, row.resourceType));
        this.journal.check();
        this.journal.resource(stack, row, "DELETE_COMPLETE");
      } catch (error) {
        this.failedStep(stack, row, "DELETE_FAILED", error, failed);
      }
    }
    await this.settle(stack.region);
    this.conclude(stackId, failed, "delete", "DELETE_FAILED", "DELETE_COMPLETE", {
      deletedAt: this.deps.clock.now(),
    });
  }

  /** A provider call for `row` threw: the resource gets `status` with the reason, and counts as failed. */
  private failedStep(
    stack: StackRecord,
    row: ResourceRecord,
    status: "UPDATE_FAILED" | "DELETE_FAILED",
    error: unknown,
    failed: string[],
  ): void {
    this.journal.check();
    failed.push(row.logicalId);
    this.journal.resource(stack, row, status, reasonOf(error));
  }

  /** Ends an operation: `failedStatus` naming the resources in `failed`, else `completeStatus`. */
  private conclude(
    stackId: string,
    failed: readonly string[],
    verb: "delete" | "update",
    failedStatus: string,
    completeStatus: string,
    changes?: Partial<StackRecord>,
  ): void {
    if (failed.length > 0) {
      this.journal.finish(
        stackId,
        failedStatus,
        `The following resource(s) failed to ${verb}: [${failed.join(", ")}]. `,
      );
    } else this.journal.finish(stackId, completeStatus, undefined, changes);
  }

  /** Finishes (cleanup) or rolls back what a stopped process left *_IN_PROGRESS. */
  async recover(stack: StackRecord): Promise<void> {
    switch (stack.status) {
      case "CREATE_IN_PROGRESS":
      case "ROLLBACK_IN_PROGRESS":
        return this.rollbackCreate(stack.stackId, CRASH_REASON);
      case "UPDATE_IN_PROGRESS":
      case "UPDATE_ROLLBACK_IN_PROGRESS":
      case "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS":
        return this.rollbackUpdate(stack.stackId, CRASH_REASON);
      case "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS": {
        await this.cleanup(stack);
        await this.settle(stack.region);
        this.journal.finish(stack.stackId, "UPDATE_COMPLETE", undefined);
        return;
      }
      case "DELETE_IN_PROGRESS":
        return this.deleteStack(stack.stackId);
    }
  }

  private outputs(stack: StackRecord) {
    const prepared: PreparedTemplate = prepareStack(stack, this.deps.accountId);
    const rows = new Map(this.journal.resources(stack.stackId).map((r) => [r.logicalId, r]));
    return resolveOutputs(prepared, (id) => {
      const row = rows.get(id);
      return row?.physicalId === undefined
        ? undefined
        : { physicalId: row.physicalId, attributes: row.attributes };
    });
  }

  /** Resources in reverse dependency order of the stack's template; unknown ones last-made first. */
  private removalOrder(rows: readonly ResourceRecord[], stack: StackRecord | undefined): ResourceRecord[] {
    let order: readonly string[] = [];
    if (stack) {
      try {
        order = prepareStack(stack, this.deps.accountId).order;
      } catch {
        order = [];
      }
    }
    const rank = new Map(order.map((id, i) => [id, i]));
    return [...rows]
      .map((row, i) => ({ row, key: rank.get(row.logicalId) ?? order.length + i }))
      .sort((a, b) => b.key - a.key)
      .map((x) => x.row);
  }

  private clearTouched(stackId: string): void {
    for (const row of this.journal.resources(stackId)) {
      if (row.previous !== undefined) {
        const { previous: _p, ...rest } = row;
        this.deps.store.putResource(rest);
      }
    }
  }

  private async settle(region: string): Promise<void> {
    try {
      await this.deps.onSettled?.(region);
    } catch {
      // The host reports its own failures; the stack's outcome is CloudFormation's, not the host's.
    }
    this.journal.check();
  }

  private provider(type: string, logicalId: string): ResourceProvider {
    const provider = this.deps.providers(type);
    if (!provider) throw new Error(`the local cloud cannot run ${type} (${logicalId})`);
    return provider;
  }

  private context(stack: StackRecord, logicalId: string, resourceType: string): ResourceContext {
    const pseudo = pseudoOf(stack, this.deps.accountId);
    return {
      region: stack.region,
      accountId: this.deps.accountId,
      partition: pseudo.partition,
      stackName: stack.name,
      stackId: stack.stackId,
      logicalId,
      resourceType,
      endpointUrl: this.deps.endpointUrl(),
      clock: this.deps.clock,
    };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
