/**
 * The local CloudFormation: change sets, stack operations run in the background as AWS runs them,
 * events, and recovery of operations a crash interrupted. Durable in the application's SQLite file.
 */
import type { Clock } from "../clock/index.ts";
import type { Db } from "../store/index.ts";
import { requiredCapability } from "./capabilities.ts";
import { CfnStore } from "./cfn-store.ts";
import { type CreateChangeSetInput, planChangeSet, templateSource } from "./change-set/plan-change-set.ts";
import { CFN_ERROR, CfnError, validationError } from "./errors.ts";
import {
  type ChangeSetRecord,
  type EventRecord,
  OPERATION,
  type ResourceRecord,
  type StackDefinition,
  type StackRecord,
} from "./records.ts";
import { type ResourceMetadata, stackMetadata } from "./resource-metadata.ts";
import type { ProviderRegistry } from "./resource-provider.ts";
import { StackJournal } from "./stack-journal.ts";
import { findStack, requireChangeSet, requireStack, UPDATABLE } from "./stack-lookup.ts";
import { StackOperations } from "./stack-operations.ts";
import { type ParsedTemplate, parseTemplate } from "./template/template.ts";

export interface CloudFormationServiceOptions {
  readonly db: Db;
  /** Event timestamps and stack times; never `Date.now()`. */
  readonly clock: Clock;
  readonly accountId: string;
  readonly providers: ProviderRegistry;
  /** The local endpoint's URL, passed to providers. */
  readonly endpointUrl: () => string;
  /** Reads the body a TemplateURL points to (the local S3); throws an AwsError ValidationError when it cannot. */
  readonly readTemplateUrl: (url: string) => string;
  /**
   * Called after every stack operation ends (complete, failed, rolled back, deleted), with the
   * region whose resources changed. Awaited before the stack reaches its final status.
   */
  readonly onSettled?: (region: string) => Promise<void>;
}

/** One live resource of a stack, with its resolved properties and what its provider returned. */
export interface StackResourceRecord {
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

export type { CreateChangeSetInput } from "./change-set/plan-change-set.ts";

/** DescribeStackEvents returns at most this many events a page (AWS does not document its page size). */
const EVENTS_PAGE = 100;

export class CloudFormationService {
  private readonly store: CfnStore;
  private readonly operations: StackOperations;
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: CloudFormationServiceOptions) {
    this.store = new CfnStore(options.db);
    this.operations = new StackOperations({
      store: this.store,
      clock: options.clock,
      providers: options.providers,
      accountId: options.accountId,
      endpointUrl: options.endpointUrl,
      ...(options.onSettled ? { onSettled: options.onSettled } : {}),
      isClosed: () => this.closed,
    });
  }

  /** Rolls back (or finishes, for a cleanup) every operation a stopped process left in progress. */
  async start(): Promise<void> {
    for (const stack of this.store.stacks()) {
      if (stack.status.endsWith("_IN_PROGRESS") && stack.status !== "REVIEW_IN_PROGRESS") {
        this.run(() => this.operations.recover(stack));
      }
    }
    await this.idle();
  }

  /** Every resource of every live stack in a region, for the host to build the running cloud. */
  resources(region: string): readonly StackResourceRecord[] {
    const out: StackResourceRecord[] = [];
    for (const stack of this.store.stacks(region)) {
      if (stack.status === "DELETE_COMPLETE") continue;
      for (const r of this.store.resources(stack.stackId)) {
        if (r.physicalId === undefined || r.status === "DELETE_COMPLETE" || r.status === "DELETE_SKIPPED")
          continue;
        out.push({
          stackName: stack.name,
          stackId: stack.stackId,
          logicalId: r.logicalId,
          resourceType: r.resourceType,
          physicalId: r.physicalId,
          attributes: r.attributes,
          properties: r.properties,
        });
      }
    }
    return out;
  }

  /**
   * The `Metadata[key]` of each live resource of the region's settled stacks, resolved against
   * its stack (resource-metadata.ts): `Sluice::Server` on a server fleet (issue 19).
   */
  resourceMetadata(region: string, key: string): ResourceMetadata[] {
    const out: ResourceMetadata[] = [];
    for (const stack of this.store.stacks(region)) {
      // Not `_IN_PROGRESS`: the host reads this as an operation settles, before its final status.
      if (stack.status === "DELETE_COMPLETE") continue;
      const live = this.store
        .resources(stack.stackId)
        .filter((r) => r.status !== "DELETE_COMPLETE" && r.status !== "DELETE_SKIPPED");
      try {
        out.push(...stackMetadata(stack, this.options.accountId, key, live));
      } catch {
        // A stack whose template no longer evaluates (a rolled-back first create) has nothing running.
      }
    }
    return out;
  }

  /** Resolves when no stack operation is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Stops: operations still awaiting a provider write nothing more (start() recovers them). */
  async close(): Promise<void> {
    this.closed = true;
  }

  createChangeSet(region: string, input: CreateChangeSetInput): { changeSetId: string; stackId: string } {
    const { changeSet, definition } = planChangeSet(
      {
        store: this.store,
        clock: this.options.clock,
        accountId: this.options.accountId,
        providers: this.options.providers,
        readTemplateUrl: this.options.readTemplateUrl,
      },
      region,
      input,
    );
    const { changeSetId, stackId } = changeSet;
    this.store.transaction(() => {
      if (!this.store.stack(stackId)) {
        const stack: StackRecord = {
          stackId,
          region,
          name: input.stackName,
          status: "REVIEW_IN_PROGRESS",
          createdAt: changeSet.createdAt,
          ...definition,
          outputs: [],
        };
        this.journal().setStatus(stack, "REVIEW_IN_PROGRESS", "User Initiated");
      }
      this.store.putChangeSet(changeSet);
    });
    return { changeSetId, stackId };
  }

  describeChangeSet(region: string, changeSetName: string, stackName?: string): ChangeSetRecord {
    return requireChangeSet(this.store, region, changeSetName, stackName);
  }

  listChangeSets(region: string, stackName: string): ChangeSetRecord[] {
    return this.store.changeSets(requireStack(this.store, region, stackName).stackId);
  }

  deleteChangeSet(region: string, changeSetName: string, stackName?: string): void {
    const changeSet = requireChangeSet(this.store, region, changeSetName, stackName);
    if (changeSet.executionStatus === "EXECUTE_IN_PROGRESS") {
      throw new CfnError(
        CFN_ERROR.invalidChangeSetStatus,
        `ChangeSet [${changeSet.changeSetId}] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]`,
      );
    }
    this.store.deleteChangeSet(changeSet.changeSetId);
  }

  /** Starts the change set's operation and returns at once; the stack is *_IN_PROGRESS until it ends. */
  executeChangeSet(
    region: string,
    changeSetName: string,
    stackName?: string,
    clientRequestToken?: string,
  ): void {
    const changeSet = requireChangeSet(this.store, region, changeSetName, stackName);
    if (changeSet.executionStatus !== "AVAILABLE") {
      throw new CfnError(
        CFN_ERROR.invalidChangeSetStatus,
        `ChangeSet [${changeSet.changeSetId}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`,
      );
    }
    const stack = requireStack(this.store, region, changeSet.stackId);
    const create = changeSet.type === OPERATION.create;
    if (create ? stack.status !== "REVIEW_IN_PROGRESS" : !UPDATABLE.has(stack.status)) {
      // AWS: InvalidChangeSetStatus when "the stack status might be UPDATE_IN_PROGRESS".
      throw new CfnError(
        CFN_ERROR.invalidChangeSetStatus,
        `ChangeSet [${changeSet.changeSetId}] cannot be executed while stack [${stack.name}] is in ${stack.status} state.`,
      );
    }
    const now = this.options.clock.now();
    const { definition } = changeSet;
    const previous: StackDefinition | undefined = create ? undefined : definitionOf(stack);
    this.store.transaction(() => {
      this.store.deleteChangeSetsOf(stack.stackId, changeSet.changeSetId);
      this.store.putChangeSet({ ...changeSet, executionStatus: "EXECUTE_IN_PROGRESS" });
      this.journal().setStatus(
        {
          ...stack,
          operation: {
            kind: create ? OPERATION.create : OPERATION.update,
            ...(clientRequestToken ? { clientRequestToken } : {}),
            ...(previous ? { previous } : {}),
          },
        },
        create ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS",
        "User Initiated",
        {
          ...definition,
          outputs: stack.outputs,
          changeSetId: changeSet.changeSetId,
          ...(create ? {} : { updatedAt: now }),
        },
      );
    });
    this.run(async () => {
      await this.operations.execute(stack.stackId, changeSet);
      const final = this.store.stack(stack.stackId);
      const ok = final?.status === "CREATE_COMPLETE" || final?.status === "UPDATE_COMPLETE";
      const current = this.store.changeSet(changeSet.changeSetId);
      if (current)
        this.store.putChangeSet({ ...current, executionStatus: ok ? "EXECUTE_COMPLETE" : "EXECUTE_FAILED" });
    });
  }

  /** Idempotent: a missing or deleted stack is no error. Returns at once; deletion runs in the background. */
  deleteStack(region: string, stackName: string, clientRequestToken?: string): void {
    const stack = findStack(this.store, region, stackName);
    if (!stack || stack.status === "DELETE_COMPLETE" || stack.status === "DELETE_IN_PROGRESS") return;
    if (stack.status.endsWith("_IN_PROGRESS") && stack.status !== "REVIEW_IN_PROGRESS") {
      throw validationError(`Stack [${stack.name}] cannot be deleted while in status ${stack.status}`);
    }
    const marked = this.journal().setStatus(
      {
        ...stack,
        operation: { kind: OPERATION.delete, ...(clientRequestToken ? { clientRequestToken } : {}) },
      },
      "DELETE_IN_PROGRESS",
      "User Initiated",
    );
    for (const changeSet of this.store.changeSets(stack.stackId))
      this.store.deleteChangeSet(changeSet.changeSetId);
    this.run(() => this.operations.deleteStack(marked.stackId));
  }

  describeStacks(region: string, stackName?: string): StackRecord[] {
    if (stackName !== undefined) return [requireStack(this.store, region, stackName)];
    return this.store.stacks(region).filter((s) => s.status !== "DELETE_COMPLETE");
  }

  describeStackEvents(
    region: string,
    stackName: string,
    nextToken?: string,
  ): { events: EventRecord[]; nextToken?: string } {
    const stack = requireStack(this.store, region, stackName);
    const offset =
      nextToken === undefined ? 0 : Number.parseInt(Buffer.from(nextToken, "base64url").toString(), 10);
    if (!Number.isInteger(offset) || offset < 0) throw validationError(`Invalid NextToken: ${nextToken}`);
    const events = this.store.events(stack.stackId, offset, EVENTS_PAGE + 1);
    const more = events.length > EVENTS_PAGE;
    return {
      events: events.slice(0, EVENTS_PAGE),
      ...(more ? { nextToken: Buffer.from(String(offset + EVENTS_PAGE)).toString("base64url") } : {}),
    };
  }

  listStackResources(region: string, stackName: string): { stack: StackRecord; resources: ResourceRecord[] } {
    const stack = requireStack(this.store, region, stackName);
    return { stack, resources: this.store.resources(stack.stackId) };
  }

  getTemplate(region: string, stackName: string | undefined, changeSetName: string | undefined): string {
    if (changeSetName !== undefined)
      return requireChangeSet(this.store, region, changeSetName, stackName).definition.templateBody;
    if (stackName === undefined)
      throw validationError("Either StackName or ChangeSetName must be specified.");
    return requireStack(this.store, region, stackName).templateBody;
  }

  validateTemplate(input: { templateBody?: string; templateUrl?: string }): {
    template: ParsedTemplate;
    capability?: string;
  } {
    const template = parseTemplate(templateSource(input, undefined, this.options.readTemplateUrl));
    const capability = requiredCapability(template);
    return { template, ...(capability ? { capability } : {}) };
  }

  private journal(): StackJournal {
    return new StackJournal(this.store, this.options.clock, () => this.closed);
  }

  private run(operation: () => Promise<void>): void {
    const promise = operation()
      .catch(() => {
        // An operation that outlived close() stops writing; start() recovers it on the next run.
      })
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }
}

function definitionOf(stack: StackRecord): StackDefinition {
  return {
    templateBody: stack.templateBody,
    ...(stack.description === undefined ? {} : { description: stack.description }),
    parameters: stack.parameters,
    noEcho: stack.noEcho,
    tags: stack.tags,
    capabilities: stack.capabilities,
    outputs: stack.outputs,
  };
}
