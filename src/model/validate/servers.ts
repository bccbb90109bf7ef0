/**
 * Reads `servers` (issue 19): each fleet's functions, platform, size, port and shutdown deadline,
 * with AWS's bounds from the limits table, into ServerSpec with every default applied. Which
 * fleet may take a role behind the app's domain is checked in server-roles.ts; the fleet's name
 * in fleet-names.ts, the functions it serves in served-functions.ts, what it runs on in
 * server-machines.ts.
 */
import { LIMITS } from "../limits.ts";
import type { ServerPlatform, ServerRole, ServerSpec } from "../servers.ts";
import { checkDistinctIds, checkFleetName } from "./fleet-names.ts";
import { readServedFunctions } from "./served-functions.ts";
import { readInstanceType, readSubnets, readTask } from "./server-machines.ts";
import { closest, didYouMean } from "./suggest.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  join,
  quoteList,
  readBoolean,
  readInteger,
  readObject,
  readOptional,
} from "./values.ts";

const SERVER_KEYS = [
  "functions",
  "platform",
  "instanceType",
  "task",
  "minSize",
  "maxSize",
  "port",
  "loadBalancer",
  "role",
  "subnets",
  "schedules",
  "shutdownSeconds",
] as const;
const PLATFORMS: readonly ServerPlatform[] = ["ec2", "fargate"];
const ROLES: readonly ServerRole[] = ["primary", "failover"];
const EXAMPLE = `servers: { web: { functions: ["api"] } }`;

/** Sluice's defaults for what a fleet leaves out (Sluice choices; AWS's bounds are in LIMITS). */
export const SERVER_DEFAULTS = {
  platform: "ec2",
  instanceType: "t4g.small",
  task: { cpu: 512, memoryMb: 1024 },
  minSize: 1,
  port: 8080,
  loadBalancer: true,
  schedules: false,
  shutdownSeconds: 30,
} as const;

/**
 * The lowest port a fleet may listen on: `sluice serve` runs as an unprivileged service user, and
 * Linux lets only root bind ports below 1024 (a Sluice choice, not an AWS limit).
 */
export const UNPRIVILEGED_PORT_MIN = 1024;
/**
 * Every fleet that read without a problem, by name. `functions` are the app's function names;
 * a function may be served by one fleet at most.
 */
export function readServers(
  issues: Issues,
  value: unknown,
  functions: ReadonlySet<string>,
): Map<string, ServerSpec> {
  const servers = new Map<string, ServerSpec>();
  if (value === undefined) return servers;
  const fields = readObject(issues, "servers", value, EXAMPLE);
  if (fields === undefined) return servers;
  const servedBy = new Map<string, string>();
  const idNames = new Map<string, string>();
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("servers", name);
    const fleet = readObject(issues, path, raw, `{ functions: ["api"] }`);
    if (fleet === undefined) continue;
    const before = issues.list.length;
    if (checkFleetName(issues, path, name)) checkDistinctIds(issues, path, name, idNames);
    const spec = readFleet(issues, name, path, fleet, functions, servedBy);
    if (spec !== undefined && issues.list.length === before) servers.set(name, spec);
  }
  return servers;
}

function readFleet(
  issues: Issues,
  name: string,
  path: string,
  fleet: Fields,
  functions: ReadonlySet<string>,
  servedBy: Map<string, string>,
): ServerSpec | undefined {
  checkKeys(issues, path, fleet, SERVER_KEYS);
  const at = (key: string): string => join(path, key);
  const served = readServedFunctions(issues, at("functions"), name, fleet.functions, functions, servedBy);
  const platform = readOptional(fleet.platform, SERVER_DEFAULTS.platform, (v) =>
    readChoice(issues, at("platform"), v, PLATFORMS),
  );
  const instanceType = readInstanceType(issues, at("instanceType"), fleet.instanceType, platform);
  const task = readTask(issues, at("task"), fleet.task, platform);
  const size = readSize(issues, path, fleet);
  const port = readPort(issues, at("port"), fleet.port);
  const loadBalancer = readOptional(fleet.loadBalancer, SERVER_DEFAULTS.loadBalancer, (v) =>
    readBoolean(issues, at("loadBalancer"), v),
  );
  const role = fleet.role === undefined ? undefined : readChoice(issues, at("role"), fleet.role, ROLES);
  const subnets = readSubnets(issues, at("subnets"), fleet.subnets, loadBalancer !== false);
  const schedules = readOptional(fleet.schedules, SERVER_DEFAULTS.schedules, (v) =>
    readBoolean(issues, at("schedules"), v),
  );
  const shutdownSeconds = readShutdown(issues, at("shutdownSeconds"), fleet.shutdownSeconds, platform);
  if (
    served === undefined ||
    platform === undefined ||
    size === undefined ||
    port === undefined ||
    loadBalancer === undefined ||
    (fleet.role !== undefined && role === undefined) ||
    (fleet.subnets !== undefined && subnets === undefined) ||
    schedules === undefined ||
    shutdownSeconds === undefined
  ) {
    return undefined;
  }
  const machine =
    platform === "ec2"
      ? { instanceType: instanceType ?? SERVER_DEFAULTS.instanceType }
      : { task: task ?? { ...SERVER_DEFAULTS.task } };
  return {
    name,
    functions: served,
    platform,
    ...machine,
    minSize: size.minSize,
    maxSize: size.maxSize,
    port,
    loadBalancer,
    ...(role === undefined ? {} : { role }),
    ...(subnets === undefined ? {} : { subnets }),
    schedules,
    shutdownSeconds,
  };
}

function readChoice<T extends string>(
  issues: Issues,
  path: string,
  value: unknown,
  choices: readonly T[],
): T | undefined {
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  const key = path.slice(path.lastIndexOf(".") + 1);
  const suggestion = typeof value === "string" ? closest(value, choices) : undefined;
  issues.add(
    path,
    value,
    `${key} must be one of ${quoteList(choices)}.${typeof value === "string" ? didYouMean(value, choices) : ""}`,
    `one of ${quoteList(choices)}`,
    `write ${key}: "${suggestion ?? choices[0]}"`,
  );
  return undefined;
}

/** minSize and maxSize as an Auto Scaling group (or an ECS service's task count) takes them. */
function readSize(
  issues: Issues,
  path: string,
  fleet: Fields,
): { minSize: number; maxSize: number } | undefined {
  const row = LIMITS.autoScaling.groupSize;
  const range = { min: row.min, default: SERVER_DEFAULTS.minSize, unit: row.unit };
  const minSize = readOptional(fleet.minSize, SERVER_DEFAULTS.minSize, (v) =>
    readInteger(issues, join(path, "minSize"), v, range),
  );
  if (minSize === undefined) {
    if (fleet.maxSize !== undefined) readInteger(issues, join(path, "maxSize"), fleet.maxSize, range);
    return undefined;
  }
  const maxSize = readOptional(fleet.maxSize, minSize, (v) =>
    readInteger(issues, join(path, "maxSize"), v, { ...range, default: minSize }),
  );
  if (maxSize === undefined) return undefined;
  if (maxSize >= minSize) return { minSize, maxSize };
  issues.add(
    join(path, "maxSize"),
    maxSize,
    `maxSize ${maxSize} is below minSize ${minSize}: the group could never run its minimum`,
    `an integer of at least minSize (${minSize})`,
    `raise maxSize to ${minSize}, or lower minSize`,
  );
  return undefined;
}

function readPort(issues: Issues, path: string, value: unknown): number | undefined {
  const range = { min: UNPRIVILEGED_PORT_MIN, max: LIMITS.elb.targetPort.max, default: 8080, unit: "" };
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value < UNPRIVILEGED_PORT_MIN) {
    issues.add(
      path,
      value,
      `port ${value} is privileged: only root may listen below ${UNPRIVILEGED_PORT_MIN}, and sluice serve runs as an unprivileged service user (the load balancer listens on 80)`,
      `an integer from ${UNPRIVILEGED_PORT_MIN} to ${range.max}`,
      `write port: ${SERVER_DEFAULTS.port}`,
    );
    return undefined;
  }
  return readOptional(value, SERVER_DEFAULTS.port, (v) => readInteger(issues, path, v, range));
}

/**
 * How long a stopping server finishes in-flight work: on Fargate within the container's
 * stopTimeout (at most 120 s, then SIGKILL), on EC2 within the target group's deregistration
 * delay (at most 3600 s), which drains the instance's connections for the same time.
 */
function readShutdown(
  issues: Issues,
  path: string,
  value: unknown,
  platform: ServerPlatform | undefined,
): number | undefined {
  const fargate = platform === "fargate";
  const row = fargate ? LIMITS.ecs.fargateStopTimeout : LIMITS.elb.deregistrationDelaySeconds;
  if (typeof value === "number" && Number.isInteger(value) && value > row.max) {
    issues.add(
      path,
      value,
      fargate
        ? `Fargate stops a container at most ${row.max} seconds after SIGTERM (its stopTimeout), so a server cannot take ${value}`
        : `the load balancer drains a stopping instance for at most ${row.max} seconds (its deregistration delay), so a server cannot take ${value}`,
      `an integer from 1 to ${row.max} seconds on ${fargate ? "Fargate" : "EC2"}`,
      `lower shutdownSeconds to ${row.max} or less`,
    );
    return undefined;
  }
  const range = { min: 1, max: row.max, default: SERVER_DEFAULTS.shutdownSeconds, unit: "seconds" };
  return readOptional(value, SERVER_DEFAULTS.shutdownSeconds, (v) => readInteger(issues, path, v, range));
}
