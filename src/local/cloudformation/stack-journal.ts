/**
 * Writes a stack's status, its resources and its events, always together with the event AWS
 * would show, so what DescribeStackEvents reports is what the tables hold.
 */
import type { Clock } from "../clock/index.ts";
import type { CfnStore } from "./cfn-store.ts";
import type { ResourceRecord, StackRecord } from "./records.ts";

const STACK_RESOURCE_TYPE = "AWS::CloudFormation::Stack";

/** Raised after `close()`: an operation still running stops writing. */
export class OperationAbandoned extends Error {
  override readonly name = "OperationAbandoned";
}

export class StackJournal {
  constructor(
    private readonly store: CfnStore,
    private readonly clock: Clock,
    private readonly isClosed: () => boolean,
  ) {}

  /** Fails when the service was closed while the operation awaited a provider. */
  check(): void {
    if (this.isClosed()) throw new OperationAbandoned("the CloudFormation service was closed");
  }

  stack(stackId: string): StackRecord {
    this.check();
    const stack = this.store.stack(stackId);
    if (!stack) throw new Error(`stack ${stackId} vanished during its operation`);
    return stack;
  }

  /** Moves the stack to `status` and records the stack event. */
  setStatus(
    stack: StackRecord,
    status: string,
    reason: string | undefined,
    patch: Partial<StackRecord> = {},
    endOperation = false,
  ): StackRecord {
    this.check();
    const { statusReason: _old, operation, ...rest } = stack;
    const next: StackRecord = {
      ...rest,
      ...(operation && !endOperation ? { operation } : {}),
      ...patch,
      status,
      ...(reason === undefined ? {} : { statusReason: reason }),
    };
    this.store.transaction(() => {
      this.store.putStack(next);
      this.store.addEvent({
        stackId: stack.stackId,
        stackName: stack.name,
        logicalId: stack.name,
        physicalId: stack.stackId,
        resourceType: STACK_RESOURCE_TYPE,
        status,
        ...(reason === undefined ? {} : { statusReason: reason }),
        timestamp: this.clock.now(),
        ...(stack.operation?.clientRequestToken
          ? { clientRequestToken: stack.operation.clientRequestToken }
          : {}),
      });
    });
    return next;
  }

  /** Ends the running operation: the final status, its event, and the operation's record dropped. */
  finish(
    stackId: string,
    status: string,
    reason: string | undefined,
    patch: Partial<StackRecord> = {},
  ): StackRecord {
    return this.setStatus(this.stack(stackId), status, reason, patch, true);
  }

  /** Stores the resource with `status` and records its event. */
  resource(
    stack: StackRecord,
    resource: Omit<ResourceRecord, "status" | "statusReason" | "updatedAt">,
    status: string,
    reason?: string,
  ): ResourceRecord {
    this.check();
    const record: ResourceRecord = {
      ...resource,
      status,
      ...(reason === undefined ? {} : { statusReason: reason }),
      updatedAt: this.clock.now(),
    };
    this.store.transaction(() => {
      this.store.putResource(record);
      this.event(
        stack,
        record.logicalId,
        record.physicalId ?? "",
        record.resourceType,
        status,
        reason,
        record.properties,
      );
    });
    return record;
  }

  /** An event for a physical resource that is no longer the row's (the old half of a replacement). */
  event(
    stack: StackRecord,
    logicalId: string,
    physicalId: string,
    resourceType: string,
    status: string,
    reason?: string,
    properties?: Readonly<Record<string, unknown>>,
  ): void {
    this.check();
    this.store.addEvent({
      stackId: stack.stackId,
      stackName: stack.name,
      logicalId,
      physicalId,
      resourceType,
      status,
      ...(reason === undefined ? {} : { statusReason: reason }),
      ...(properties === undefined ? {} : { properties: JSON.stringify(properties) }),
      timestamp: this.clock.now(),
      ...(stack.operation?.clientRequestToken
        ? { clientRequestToken: stack.operation.clientRequestToken }
        : {}),
    });
  }

  removeResource(stackId: string, logicalId: string): void {
    this.check();
    this.store.deleteResource(stackId, logicalId);
  }

  resources(stackId: string): ResourceRecord[] {
    this.check();
    return this.store.resources(stackId);
  }
}
