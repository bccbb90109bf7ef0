/**
 * The rules that put a fleet behind the app's domain (issue 19): a `role` makes the fleet one of
 * the two failover records, with Lambda's API the other, so the fleet needs a load balancer to
 * be the record's target, at least one server to answer, and every function of the API's route
 * table to answer the same requests. One fleet at most takes a role (failover has one primary
 * and one secondary), and fleets are not yet built for multi-region apps.
 */
import type { DomainSpec } from "../app-spec.ts";
import type { HttpApiSpec } from "../http-api.ts";
import type { ServerSpec } from "../servers.ts";
import { type Fields, type Issues, isRecord, join, quoteList } from "./values.ts";

export interface ServerRoleParts {
  /** The raw definition, to tell "absent" from "present but invalid". */
  readonly definition: Fields;
  /** The fleets that read without a problem. */
  readonly servers: ReadonlyMap<string, ServerSpec>;
  readonly domain: DomainSpec | undefined;
  readonly api: HttpApiSpec | undefined;
}

const DOMAIN_EXAMPLE = `domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" }`;

/** The first fleet the definition gives a role, valid or not, with what it wrote. */
export function declaredRole(definition: Fields): { fleet: string; role: unknown } | undefined {
  const servers = isRecord(definition.servers) ? definition.servers : {};
  for (const [fleet, raw] of Object.entries(servers)) {
    if (isRecord(raw) && raw.role !== undefined) return { fleet, role: raw.role };
  }
  return undefined;
}

export function checkServerRoles(issues: Issues, parts: ServerRoleParts): void {
  const { definition } = parts;
  if (definition.servers !== undefined && definition.regions !== undefined) {
    issues.add(
      "servers",
      definition.servers,
      "server fleets are not supported in a multi-region app yet: a fleet per region behind each region's failover records is not built",
      "servers in an app without regions",
      "remove regions (a fleet with a role fails over with Lambda in one region), or remove servers",
    );
    return;
  }
  let taken: string | undefined;
  for (const fleet of parts.servers.values()) {
    if (fleet.role === undefined) continue;
    const at = join(join("servers", fleet.name), "role");
    if (taken !== undefined) {
      issues.add(
        at,
        fleet.role,
        `fleet "${taken}" already has a role; failover routing has one Lambda record and one fleet record`,
        "a role on one fleet at most",
        `remove role here; fleet "${fleet.name}" can still answer on its own load balancer`,
      );
      continue;
    }
    taken = fleet.name;
    checkRole(issues, fleet, parts);
  }
}

function checkRole(issues: Issues, fleet: ServerSpec, parts: ServerRoleParts): void {
  const path = join("servers", fleet.name);
  const role = fleet.role;
  if (!fleet.loadBalancer) {
    issues.add(
      join(path, "role"),
      role,
      `a fleet with a role is the target of a failover record, which points at its load balancer, but loadBalancer is false`,
      "role together with loadBalancer: true (the default)",
      "remove loadBalancer: false, or remove role",
    );
  }
  if (fleet.minSize < 1) {
    issues.add(
      join(path, "minSize"),
      fleet.minSize,
      `a fleet with role "${role}" must be able to answer when traffic fails over to it, but minSize is 0`,
      "minSize of at least 1 with a role",
      "write minSize: 1 (or more), or remove role",
    );
  }
  checkDomain(issues, path, fleet, parts);
  const missing = routedFunctions(parts.api).filter((fn) => !fleet.functions.includes(fn));
  if (missing.length > 0) {
    issues.add(
      join(path, "functions"),
      fleet.functions,
      `a fleet with a role answers the API's whole route table, but ${quoteList(missing)} ${missing.length === 1 ? "has" : "have"} HTTP routes and ${missing.length === 1 ? "is" : "are"} not served`,
      "every function with HTTP routes among the fleet's functions",
      `add ${quoteList(missing)} to functions`,
    );
  }
}

function checkDomain(issues: Issues, path: string, fleet: ServerSpec, parts: ServerRoleParts): void {
  if (parts.definition.domain === undefined) {
    issues.add(
      join(path, "role"),
      fleet.role,
      `role "${fleet.role}" places the fleet behind the app's domain, but the app has no domain`,
      `role together with ${DOMAIN_EXAMPLE}`,
      `add ${DOMAIN_EXAMPLE}, or remove role`,
    );
    return;
  }
  if (parts.domain !== undefined && parts.domain.routing !== "failover") {
    issues.add(
      "domain.routing",
      parts.domain.routing,
      `a fleet with a role is the other side of a failover record pair, but the domain's routing is "${parts.domain.routing}"`,
      `routing: "failover" when a fleet has a role`,
      `write routing: "failover", or remove the role of fleet "${fleet.name}"`,
    );
  }
}

/** Functions that answer the API's routes (a function with only its health route is not one). */
function routedFunctions(api: HttpApiSpec | undefined): string[] {
  const functions = new Set<string>();
  for (const route of api?.routes ?? []) if (route.health !== true) functions.add(route.function);
  return [...functions];
}
