/**
 * The rules that tie a multi-region app together: a domain needs regions (or, in one region, a
 * fleet with a role: validate/server-roles.ts), one Route 53 checked health route (not when the
 * fleet is primary: its load balancer's target health is the check) and something to serve;
 * failover routing has one secondary; a Route 53 health check needs the domain; a global table
 * needs regions; and the checker's request path fits Route 53's ResourcePath. Each part is read
 * (and its own errors reported) by failover.ts, tables.ts and http-api.ts; a part that failed to
 * read is skipped here, so it is reported once.
 */
import type { DomainSpec, RegionsSpec } from "../app-spec.ts";
import { DEFAULT_STAGE, type HealthSpec, type HttpApiSpec } from "../http-api.ts";
import { LIMITS } from "../limits.ts";
import type { TableDraft } from "./draft.ts";
import { declaredRole } from "./server-roles.ts";
import { type Fields, type Issues, isRecord, join } from "./values.ts";

/**
 * The query parameter a checker sends its secret in (runtime/health-check.ts CHECKER_ID_PARAMETER,
 * which the model cannot import; a unit test keeps the two equal).
 */
export const CHECKER_ID_PARAMETER = "healthCheckerId";
/**
 * The longest checker secret the path must leave room for: deploy generates 43 characters
 * (32 random bytes, base64url) and a secret of one's own should stay within 64.
 */
export const CHECKER_SECRET_BUDGET = 64;

export interface FailoverParts {
  /** The raw definition, to tell "absent" from "present but invalid". */
  readonly definition: Fields;
  readonly regions: RegionsSpec | undefined;
  readonly domain: DomainSpec | undefined;
  /** Each function's valid health check, by function name. */
  readonly health: ReadonlyMap<string, HealthSpec>;
  readonly api: HttpApiSpec | undefined;
  readonly tables: ReadonlyMap<string, TableDraft>;
}

export function checkFailover(issues: Issues, parts: FailoverParts): void {
  const { definition, regions, domain } = parts;
  const hasRegions = definition.regions !== undefined;
  const hasDomain = definition.domain !== undefined;
  // Which functions ask for a Route 53 check counts even when the check itself is invalid.
  const declared = route53Functions(definition);
  // A fleet with a role is the other side of a one-region failover pair (issue 19).
  const fleetRole = declaredRole(definition);
  if (hasDomain && !hasRegions && fleetRole === undefined) {
    issues.add(
      "domain",
      definition.domain,
      "a domain routes between regions, or between Lambda and a server fleet, but the app names no regions and no fleet has a role",
      "a domain together with regions: { primary, secondary }, or a fleet with role",
      `add regions: { primary: "us-east-1", secondary: ["us-west-2"] }, or role: "failover" to a fleet under servers, or remove domain`,
    );
  }
  if (domain?.routing === "failover" && regions !== undefined && regions.secondary.length !== 1) {
    issues.add(
      "regions.secondary",
      regions.secondary,
      `failover routing has one primary and one secondary record, but ${regions.secondary.length} secondary regions are named`,
      'exactly one secondary region with routing: "failover"',
      `keep one secondary region, or use routing: "latency" to answer from any healthy region`,
    );
  }
  if (hasDomain) {
    checkDomainTargets(issues, definition.domain, declared, parts.api, fleetRole?.role === "primary");
  }
  for (const [fn, raw] of declared) {
    const at = join(join(join("functions", fn), "health"), "route53");
    if (!hasDomain) {
      issues.add(
        at,
        raw,
        "a Route 53 health check decides which region the domain's records answer with, but the app has no domain",
        "health.route53 together with the app's domain and regions",
        `add domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" }, or remove route53`,
      );
    }
    const health = parts.health.get(fn);
    if (health !== undefined)
      checkResourcePath(issues, join(join(join("functions", fn), "health"), "path"), health, parts.api);
  }
  for (const table of parts.tables.values()) {
    if (table.spec?.global !== true || hasRegions) continue;
    issues.add(
      join(table.path, "global"),
      true,
      "a global table has a replica in every region of the app, but the app names no regions",
      "global: true together with regions: { primary, secondary }",
      `add regions: { primary: "us-east-1", secondary: ["us-west-2"] }, or remove global`,
    );
  }
}

/** The domain's records need one health check to follow and an API with routes to serve. */
function checkDomainTargets(
  issues: Issues,
  domain: unknown,
  checked: readonly (readonly [string, unknown])[],
  api: HttpApiSpec | undefined,
  fleetPrimary: boolean,
): void {
  // With the fleet primary, Route 53 follows its load balancer's target health instead.
  if (checked.length === 0 && !fleetPrimary) {
    issues.add(
      "domain",
      domain,
      "the domain's records need a Route 53 health check per region, but no function's health has route53",
      "exactly one function with health: { path, route53: { ... } }",
      `add health: { path: "/health", route53: true } to the function that serves the API`,
    );
  }
  for (const [fn, raw] of checked.slice(1)) {
    issues.add(
      join(join(join("functions", fn), "health"), "route53"),
      raw,
      `the domain's records follow one health check per region, but "${checked[0]?.[0]}" already has route53`,
      "route53 on exactly one function's health",
      `remove route53 here, and fold this function's checks into "${checked[0]?.[0]}"'s deepCheck`,
    );
  }
  const served = api?.routes.some((route) => route.health !== true) ?? false;
  if (!served) {
    issues.add(
      "domain",
      domain,
      "the domain would answer only health checks: no function has http routes",
      "a domain for an HTTP API with at least one route besides health checks",
      `add http: "ANY /{proxy+}" to the function that serves the API`,
    );
  }
}

/**
 * A checker requests the health path (after the stage, when the API has a named one) with
 * `?healthCheckerId=<secret>`, all within Route 53's ResourcePath.
 */
function checkResourcePath(
  issues: Issues,
  path: string,
  health: HealthSpec,
  api: HttpApiSpec | undefined,
): void {
  const stage = api === undefined || api.stage === DEFAULT_STAGE ? "" : `/${api.stage}`;
  const fixed = `${stage}${health.path}?${CHECKER_ID_PARAMETER}=`;
  const max = LIMITS.route53.resourcePath.max;
  const length = fixed.length + CHECKER_SECRET_BUDGET;
  if (length <= max) return;
  issues.add(
    path,
    health.path,
    `a Route 53 checker requests "${fixed}<secret>", ${length} characters with a ${CHECKER_SECRET_BUDGET}-character secret, above Route 53's ResourcePath limit of ${max}`,
    `a health path (and stage) of at most ${max - CHECKER_SECRET_BUDGET - `?${CHECKER_ID_PARAMETER}=`.length} characters`,
    `shorten the path by ${length - max} characters, e.g. path: "/health"`,
  );
}

/** Each function whose health names route53, with what it wrote, in definition order. */
function route53Functions(definition: Fields): [string, unknown][] {
  const functions = isRecord(definition.functions) ? definition.functions : {};
  const found: [string, unknown][] = [];
  for (const [name, fn] of Object.entries(functions)) {
    const health = isRecord(fn) ? fn.health : undefined;
    if (isRecord(health) && health.route53 !== undefined) found.push([name, health.route53]);
  }
  return found;
}
