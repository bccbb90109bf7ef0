/** Test providers and a service on a real SQLite file for the local CloudFormation tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import {
  CloudFormationService,
  type CloudFormationServiceOptions,
} from "../../src/local/cloudformation/cloudformation-service.ts";
import {
  type ProviderRegistry,
  ResourceFailure,
  type ResourceProvider,
} from "../../src/local/cloudformation/resource-provider.ts";
import { type Db, openStore } from "../../src/local/store/store.ts";

export const THING = "Test::Local::Thing";

export interface Call {
  readonly op: "create" | "update" | "delete";
  readonly logicalId: string;
  readonly physicalId?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * `Test::Local::Thing`: physical id `<Name or logicalId>-<n>`, attribute `Arn`. `Fixed` (and
 * `Nested.Key`) replace it; `Name` names it. `FailOn: "create" | "update" | "delete"` makes that
 * call fail; `Hang: true` makes create never resolve; `Gate: name` makes it wait for `gate(name).open()`.
 */
export class ThingWorld {
  readonly calls: Call[] = [];
  /** Physical ids that exist now. */
  readonly live = new Set<string>();
  private seq = 0;
  private readonly gates = new Map<string, { promise: Promise<void>; open(): void }>();
  /** While true, deletes of resources with `HangOn: "delete"` never resolve. */
  hangDeletes = true;
  /** Fails any call whose op and logical id match. */
  failNext: { op: Call["op"]; logicalId: string } | undefined;

  readonly provider: ResourceProvider = {
    replaceOn: ["Fixed", "Nested.Key"],
    nameProperty: "Name",
    create: async (properties, context) => {
      this.calls.push({ op: "create", logicalId: context.logicalId, properties });
      if (properties.Hang === true) return new Promise(() => {});
      if (typeof properties.Gate === "string") await this.gate(properties.Gate).promise;
      this.maybeFail("create", context.logicalId, properties);
      const physicalId = `${String(properties.Name ?? context.logicalId)}-${++this.seq}`;
      this.live.add(physicalId);
      return {
        physicalId,
        attributes: { Arn: `arn:test:${context.region}:${physicalId}`, Value: properties.Value },
      };
    },
    update: async (current, properties, context) => {
      this.calls.push({
        op: "update",
        logicalId: context.logicalId,
        physicalId: current.physicalId,
        properties,
      });
      this.maybeFail("update", context.logicalId, properties);
      return {
        physicalId: current.physicalId,
        attributes: { ...current.attributes, Value: properties.Value },
      };
    },
    delete: async (current, context) => {
      this.calls.push({ op: "delete", logicalId: context.logicalId, physicalId: current.physicalId });
      if (current.properties.HangOn === "delete" && this.hangDeletes) return new Promise(() => {});
      this.maybeFail("delete", context.logicalId, current.properties);
      this.live.delete(current.physicalId);
    },
  };

  readonly registry: ProviderRegistry = (type) => (type === THING ? this.provider : undefined);

  /** A promise `create` waits on when its properties say `Gate: name`; `open()` releases it. */
  gate(name: string): { promise: Promise<void>; open(): void } {
    let gate = this.gates.get(name);
    if (!gate) {
      let open = () => {};
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      this.gates.set(name, gate);
    }
    return gate;
  }

  ops(): string[] {
    return this.calls.map((c) => `${c.op} ${c.logicalId}`);
  }

  private maybeFail(op: Call["op"], logicalId: string, properties: Readonly<Record<string, unknown>>): void {
    const planned = this.failNext;
    if (planned && planned.op === op && planned.logicalId === logicalId) {
      this.failNext = undefined;
      throw new ResourceFailure(`${logicalId} refused to ${op} (test)`);
    }
    if (properties.FailOn === op) throw new ResourceFailure(`${logicalId} refused to ${op} (test)`);
  }
}

export interface Harness {
  readonly dir: string;
  readonly file: string;
  readonly db: Db;
  readonly clock: ManualClock;
  readonly world: ThingWorld;
  readonly service: CloudFormationService;
  readonly settled: string[];
  cleanup(): void;
}

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";

export function harness(
  overrides: Partial<CloudFormationServiceOptions> & { dir?: string; world?: ThingWorld } = {},
): Harness {
  const dir = overrides.dir ?? mkdtempSync(join(tmpdir(), "sluice-cfn-"));
  const file = join(dir, "state.db");
  const db = openStore(file);
  const clock = new ManualClock();
  const world = overrides.world ?? new ThingWorld();
  const settled: string[] = [];
  const service = new CloudFormationService({
    db,
    clock,
    accountId: ACCOUNT,
    providers: world.registry,
    endpointUrl: () => "http://127.0.0.1:4566",
    readTemplateUrl: (url) => {
      throw new Error(`no S3 in this test: ${url}`);
    },
    onSettled: async (region) => {
      settled.push(region);
    },
    ...overrides,
  });
  return {
    dir,
    file,
    db,
    clock,
    world,
    service,
    settled,
    cleanup: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A harness for one test, cleaned up when the test ends. */
export function testHarness(t: TestContext): Harness {
  const h = harness();
  t.after(() => h.cleanup());
  return h;
}

export function thing(properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { Type: THING, Properties: properties, ...extra };
}

export function body(resources: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ AWSTemplateFormatVersion: "2010-09-09", Resources: resources, ...extra });
}

/** Creates and executes a change set, then waits for the operation to end. */
export async function deploy(
  h: Harness,
  stackName: string,
  templateBody: string,
  options: { type?: "CREATE" | "UPDATE"; parameters?: { key: string; value: string }[]; name?: string } = {},
) {
  const name = options.name ?? `cs-${Math.random().toString(36).slice(2, 10)}`;
  const { changeSetId } = h.service.createChangeSet(REGION, {
    stackName,
    changeSetName: name,
    changeSetType: options.type ?? "CREATE",
    templateBody,
    ...(options.parameters ? { parameters: options.parameters } : {}),
  });
  const changeSet = h.service.describeChangeSet(REGION, changeSetId);
  if (changeSet.status !== "CREATE_COMPLETE") return { changeSet, stack: undefined };
  h.service.executeChangeSet(REGION, changeSetId);
  await h.service.idle();
  const [stack] = h.service.describeStacks(REGION, stackName);
  return { changeSet, stack };
}

/**
 * Why an operation failed, from every page of the stack's events: AWS leaves a ROLLBACK_COMPLETE
 * stack's StackStatusReason empty, so the *_FAILED events are where the cause is.
 */
export function failureReasons(h: Harness, stackName: string): string[] {
  const reasons: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = h.service.describeStackEvents(REGION, stackName, nextToken);
    for (const e of page.events)
      if (e.status.endsWith("_FAILED")) reasons.push(`${e.logicalId}: ${e.statusReason}`);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return reasons.reverse();
}

export function statuses(h: Harness, stackName: string): string[] {
  return h.service
    .describeStackEvents(REGION, stackName)
    .events.map((e) => `${e.logicalId} ${e.status}`)
    .reverse();
}
