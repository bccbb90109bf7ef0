/**
 * What a fleet's `role` (servers.ts) means for the rest of the app: the fleet that sits behind the
 * app's domain beside the Lambda API, and the functions whose SQS event source mappings stand by
 * while a `primary` fleet consumes their queues. Synth (Route 53 records, `Enabled: false` on
 * those mappings) and the local cloud (its SQS pollers) read these, so both agree.
 */
import type { ServerSpec } from "./servers.ts";

/** The shape read here; AppSpec satisfies it (no import of app-spec.ts, which imports servers.ts). */
interface SpecWithServers {
  readonly regions?: unknown;
  readonly domain?: unknown;
  readonly servers?: Readonly<Record<string, ServerSpec>>;
}

/**
 * The fleet behind the domain's failover records with the Lambda API: the first fleet with a
 * `role` and a load balancer, in a one-region app with a domain (a multi-region app's records
 * pair regions instead).
 */
export function failoverFleet(spec: SpecWithServers): ServerSpec | undefined {
  if (spec.domain === undefined || spec.regions !== undefined) return undefined;
  return Object.values(spec.servers ?? {}).find((s) => s.role !== undefined && s.loadBalancer);
}

/**
 * Whether Lambda's SQS event source mapping of `functionName` stands by (`Enabled: false`): a
 * fleet with role "primary" serves the function, so the fleet's consumers take its queue and
 * Lambda polls only once an operator enables the mapping (failing over to Lambda).
 */
export function mappingStandsBy(spec: SpecWithServers, functionName: string): boolean {
  return Object.values(spec.servers ?? {}).some(
    (s) => s.role === "primary" && s.functions.includes(functionName),
  );
}

/** The Lambda API's SetIdentifier in a failover pair with a fleet (synth and dev's Route 53). */
export const LAMBDA_SET_IDENTIFIER = "lambda";

/** A fleet's SetIdentifier in a failover pair with the Lambda API. */
export function fleetSetIdentifier(fleet: string): string {
  return `fleet-${fleet}`;
}

/**
 * The name `sluice dev` issues a fleet's local credentials under, so its endpoint can tell the
 * fleet's calls from a function's (and check them against the fleet's role): a colon is in no
 * function's name.
 */
export function fleetCredentialName(fleet: string): string {
  return `fleet:${fleet}`;
}

/** The fleet whose credentials were issued under `name`, if a fleet's. */
export function fleetOfCredential(name: string): string | undefined {
  return name.startsWith("fleet:") ? name.slice("fleet:".length) : undefined;
}
