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
      ...(reason === undefined ? {} : { statusReason: masked(reason, noEchoValues(stack)) }),
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
    const hidden = noEchoValues(stack);
    this.store.addEvent({
      stackId: stack.stackId,
      stackName: stack.name,
      logicalId,
      physicalId,
      resourceType,
      status,
      ...(reason === undefined ? {} : { statusReason: masked(reason, hidden) }),
      ...(properties === undefined ? {} : { properties: JSON.stringify(masked(properties, hidden)) }),
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

/**
 * The stack's NoEcho parameter values (and, during an update, the previous ones), longest first.
 * CloudFormation masks them "for any calls that describe the stack or stack events"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
 * an event's ResourceProperties carry them resolved (a health check's ResourcePath through
 * Fn::Sub), and a provider's failure may quote them.
 */
function noEchoValues(stack: StackRecord): string[] {
  const values = new Set<string>();
  for (const definition of [stack, stack.operation?.previous]) {
    for (const key of definition?.noEcho ?? []) {
      const value = definition?.parameters[key];
      if (value) values.add(value);
    }
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** Shorter NoEcho values are masked only as a whole string, or every "true" would go too. */
const MASKED_INSIDE_FROM = 8;

/** `value` with every NoEcho value in its strings shown as `****`, as DescribeStacks shows them. */
function masked<T>(value: T, hidden: readonly string[]): T {
  if (hidden.length === 0) return value;
  if (typeof value === "string") {
    if (hidden.includes(value)) return "****" as T;
    return hidden.reduce(
      (text, h) => (h.length < MASKED_INSIDE_FROM ? text : text.split(h).join("****")),
      value,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((v) => masked(v, hidden)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, hidden)])) as T;
  }
  return value;
}
