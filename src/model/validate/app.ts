/** Validates a whole definition, collecting every issue, and returns what it read. */
import type { RegionsSpec } from "../app-spec.ts";
import { LIMITS } from "../limits.ts";
import { generatedDeadLetterName, stagedName } from "../naming.ts";
import { checkAsyncTargets } from "./async.ts";
import { checkBucketNames, checkBucketTargets, readBuckets } from "./buckets.ts";
import type { AppDraft, QueueDraft } from "./draft.ts";
import { readDomain, readRegions } from "./failover.ts";
import { readDefaults, readFunctions } from "./functions.ts";
import { checkNames, readAppName } from "./names.ts";
import { checkPermissionReferences } from "./permissions.ts";
import { readQueues } from "./queues.ts";
import { checkConsumers, checkDeadLetters, checkReservedTotal } from "./references.ts";
import { checkRoutes } from "./routes.ts";
import { checkStateMachines, readStateMachines } from "./state-machines.ts";
import { checkTableConsumers } from "./table-consumers.ts";
import { checkTableNames, readTables } from "./tables.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  readInteger,
  readObject,
  readString,
} from "./values.ts";

export interface ValidateOptions {
  /** Overrides the definition's `region`. @default the definition's region, else "us-east-1" */
  readonly region?: string;
  /** @default "000000000000" */
  readonly accountId?: string;
  /**
   * The account's concurrent executions quota, which bounds `reservedConcurrency`.
   * @default 1000 (Lambda's default quota)
   */
  readonly accountConcurrency?: number;
  /**
   * Deployment stage: qualifies every physical name (`<app>-<stage>-<name>`) and the stack
   * (`<app>-<stage>`), so stages coexist in one account. Letters, digits and inner hyphens.
   * @default none: today's `<app>-<name>` (dev, build, synth)
   * @example "prod"
   */
  readonly stage?: string;
}

// `api` and `websocket` are read by validate-http-api.ts and validate-websocket-api.ts.
const APP_KEYS = [
  "name",
  "region",
  "defaults",
  "queues",
  "functions",
  "api",
  "websocket",
  "schedules",
  "tables",
  "buckets",
  "stateMachines",
  // read by validate-events.ts
  "buses",
  "rules",
  // read by validate/failover.ts
  "regions",
  "domain",
  // read by validate/servers.ts
  "servers",
] as const;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;
export const DEFAULT_REGION = "us-east-1";
const DEFAULT_ACCOUNT_ID = "000000000000";

export function validateApp(issues: Issues, definition: unknown, options: ValidateOptions): AppDraft {
  const empty: AppDraft = {
    name: undefined,
    region: undefined,
    accountId: undefined,
    queues: new Map(),
    functions: new Map(),
    tables: new Map(),
    buckets: new Map(),
  };
  const app = readObject(
    issues,
    "(definition)",
    definition,
    `defineApp({ name: "my-app", functions: { ... } })`,
  );
  if (app === undefined) return empty;
  checkKeys(issues, "", app, APP_KEYS);
  const name = readAppName(issues, app.name);
  const regions = readRegions(issues, app.regions);
  const domain = readDomain(issues, app.domain);
  const region = readAppRegion(issues, options.region, app, regions);
  const accountId = readAccountId(issues, options.accountId);
  const accountConcurrency = readAccountConcurrency(issues, options.accountConcurrency);
  const reservable = accountConcurrency - LIMITS.lambda.unreservedConcurrency.min;
  const queues = readQueues(issues, app.queues);
  const tables = readTables(issues, app.tables);
  const buckets = readBuckets(issues, app.buckets);
  const defaults = readDefaults(issues, app.defaults);
  const functions = readFunctions(issues, app.functions, defaults, reservable);
  const stage = readStage(issues, options.stage, name);
  const prefix = name === undefined ? undefined : stagedName(name, stage);
  const busNames = isRecord(app.buses) ? Object.keys(app.buses) : [];
  const stateMachines = checkStateMachines(issues, prefix, readStateMachines(issues, app.stateMachines), {
    function: new Set(functions.keys()),
    queue: new Set(queueKinds(queues).keys()),
    bus: new Set(["default", ...busNames]),
    table: new Set(tables.keys()),
    bucket: new Set(buckets.keys()),
  });
  const machineNames = isRecord(app.stateMachines) ? Object.keys(app.stateMachines) : [];
  checkNames(issues, name === undefined ? undefined : stagedName(name, stage), queues, functions);
  checkTableNames(issues, name === undefined ? undefined : stagedName(name, stage), tables);
  checkDeadLetters(issues, queues, functions);
  checkConsumers(issues, queues, functions);
  checkTableConsumers(issues, tables, queues, functions, queueKinds(queues));
  checkBucketNames(issues, { app: name, stage, region, accountId }, buckets);
  checkBucketTargets(issues, buckets, queueKinds(queues), functions);
  checkRoutes(issues, queues, functions, busNames, machineNames);
  checkPermissionReferences(
    issues,
    queues,
    functions,
    isRecord(app.buses) ? Object.keys(app.buses) : [],
    name,
    [...tables.keys()],
    [...buckets.keys()],
    machineNames,
  );
  checkAsyncTargets(issues, queues, functions, isRecord(app.buses) ? Object.keys(app.buses) : []);
  checkReservedTotal(issues, functions, reservable);
  return {
    name,
    region,
    accountId,
    queues,
    functions,
    tables,
    buckets,
    stateMachines,
    ...(regions === undefined ? {} : { regions }),
    ...(domain === undefined ? {} : { domain }),
  };
}

/** Every queue, the dead-letter queues Sluice generates included, and whether it is FIFO. */
function queueKinds(queues: ReadonlyMap<string, QueueDraft>): Map<string, boolean | undefined> {
  const kinds = new Map<string, boolean | undefined>();
  for (const queue of queues.values()) {
    kinds.set(queue.name, queue.fifo);
    if (queue.deadLetter !== undefined && queue.deadLetter.queueGiven === undefined) {
      kinds.set(generatedDeadLetterName(queue.name), queue.fifo);
    }
  }
  return kinds;
}

const STAGE = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

function readStage(issues: Issues, stage: string | undefined, app: string | undefined): string | undefined {
  if (stage === undefined) return undefined;
  const stack = LIMITS.cloudformation.stackName;
  if (!STAGE.test(stage)) {
    issues.add(
      "options.stage",
      stage,
      "the stage can hold only letters, digits and inner hyphens (it becomes part of every physical name)",
      "letters, digits and hyphens, not at either end",
      `pass a stage such as "dev" or "pr-42"`,
    );
    return undefined;
  }
  const full = app === undefined ? undefined : stagedName(app, stage);
  if (full !== undefined && full.length > stack.max) {
    issues.add(
      "options.stage",
      stage,
      `the stack name "${full}" is ${full.length} characters, above CloudFormation's limit of ${stack.max}`,
      `app name + "-" + stage of at most ${stack.max} characters`,
      `shorten the stage by ${full.length - stack.max} characters`,
    );
  }
  return stage;
}

/**
 * The region this spec is for: the option, else `region`, else the primary of `regions`. With
 * `regions`, a `region` must be the primary (it would otherwise say two things). The option wins
 * unchecked against `regions`: each region's spec is made so, and `dev --regions` may run others.
 */
function readAppRegion(
  issues: Issues,
  option: string | undefined,
  app: Fields,
  regions: RegionsSpec | undefined,
): string | undefined {
  if (app.regions === undefined) return readRegion(issues, option, app.region);
  if (app.region !== undefined && regions !== undefined && app.region !== regions.primary) {
    issues.add(
      "region",
      app.region,
      `region names one region, regions.primary another ("${regions.primary}")`,
      `region equal to regions.primary, or no region`,
      `remove region (the primary is the app's first region)`,
    );
  }
  if (option !== undefined) return readRegion(issues, option, undefined);
  return regions?.primary ?? DEFAULT_REGION;
}

function readRegion(issues: Issues, option: string | undefined, value: unknown): string | undefined {
  const path = option === undefined ? "region" : "options.region";
  const raw = option ?? value ?? DEFAULT_REGION;
  const region = readString(issues, path, raw, `region: "${DEFAULT_REGION}"`);
  if (region === undefined || REGION.test(region)) return region;
  issues.add(
    path,
    region,
    "region is not an AWS Region code",
    `a Region code such as "us-east-1" or "eu-west-2"`,
    `set region: "${DEFAULT_REGION}"`,
  );
  return undefined;
}

function readAccountId(issues: Issues, option: string | undefined): string | undefined {
  const accountId = option ?? DEFAULT_ACCOUNT_ID;
  if (ACCOUNT_ID.test(accountId)) return accountId;
  issues.add(
    "options.accountId",
    accountId,
    "accountId is not an AWS account ID",
    "12 digits",
    `pass accountId: "${DEFAULT_ACCOUNT_ID}"`,
  );
  return undefined;
}

function readAccountConcurrency(issues: Issues, option: number | undefined): number {
  const quota = LIMITS.lambda.reservedConcurrency.max;
  if (option === undefined) return quota;
  const range = { min: LIMITS.lambda.unreservedConcurrency.min, unit: "concurrent executions" };
  return readInteger(issues, "options.accountConcurrency", option, range) ?? quota;
}
