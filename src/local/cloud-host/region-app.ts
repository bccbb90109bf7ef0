/**
 * What a region runs: the deployed stacks' resources translated into one AppSpec for the region's
 * LocalCloud (functions, queues, tables, buckets, buses, rules, schedules and state machines of every stack, keyed by physical
 * name) and one app per API for its server. Pure: the host rebuilds the region from it whenever
 * a stack operation settles.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import type { FunctionCode } from "../lambda/index.ts";
import { type DeployedResource, ResourceIndex } from "./deployed-resources.ts";
import { type DeployedApi, translateApis } from "./translate-apis.ts";
import { translateBuckets } from "./translate-buckets.ts";
import { translateEvents, translateSchedules } from "./translate-events.ts";
import { translateFunctions, translateQueues } from "./translate-functions.ts";
import { translateStateMachines } from "./translate-state-machines.ts";
import { translateTables } from "./translate-tables.ts";

export interface RegionApp {
  readonly spec: AppSpec;
  readonly apis: readonly DeployedApi[];
  /** Each function's unpacked bundle, by physical name; it routes through the AWS SDK. */
  readonly code: ReadonlyMap<string, FunctionCode>;
  /** Deployed resources the running app leaves out or changes, and why. */
  readonly notes: readonly string[];
}

/** The name of a region's app: it names no physical resource (all are listed by their own names). */
export const REGION_APP_NAME = "deployed";

export function regionApp(
  resources: readonly DeployedResource[],
  where: { readonly region: string; readonly accountId: string },
): RegionApp {
  const index = new ResourceIndex(resources);
  const queues = translateQueues(index);
  const { functions, code } = translateFunctions(index);
  const events = translateEvents(index);
  const schedules = translateSchedules(index);
  const tables = translateTables(index);
  const buckets = translateBuckets(index);
  const stateMachines = translateStateMachines(index);
  const spec: AppSpec = {
    name: REGION_APP_NAME,
    region: where.region,
    accountId: where.accountId,
    functions,
    queues,
    ...(events ? { events } : {}),
    ...(schedules ? { schedules } : {}),
    ...(tables ? { tables } : {}),
    ...(buckets ? { buckets } : {}),
    ...(stateMachines ? { stateMachines } : {}),
  };
  const apis = translateApis(index, spec);
  return { spec, apis, code, notes: index.notes };
}

export type { DeployedResource } from "./deployed-resources.ts";
export type { DeployedApi } from "./translate-apis.ts";
