/**
 * Ids and names the fleet resource types share (issue 19): EC2's `lt-`/`sg-` ids (17 hex digits),
 * ELB's 16-hex suffixes, ELB names (at most 32 alphanumerics and hyphens, no hyphen at either end),
 * and the "required key" failure CloudFormation reports for a missing property.
 */
import { LIMITS } from "../../../model/limits.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { generatedName, type Properties, randomChars, requiredKey, stringProp } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

const HEX = "0123456789abcdef";

export function hexId(env: ProviderEnv, prefix: string, length: number): string {
  return `${prefix}${(env.random ?? randomChars)(length, HEX)}`;
}

export function requiredProp(
  properties: Properties,
  key: string,
  context: Pick<ResourceContext, "logicalId">,
): unknown {
  const value = properties[key];
  if (value === undefined || value === null || value === "") requiredKey(context, key);
  return value;
}

/** A load balancer's or target group's name: given, or generated to fit ELB's 32 characters. */
export function elbName(
  properties: Properties,
  context: ResourceContext,
  env: ProviderEnv,
  what: "load balancer" | "target group",
): string {
  // ELB's name rules live in limits.ts; a load balancer's also forbid an "internal-" prefix.
  const row = what === "load balancer" ? LIMITS.elb.loadBalancerName : LIMITS.elb.targetGroupName;
  const given = stringProp(properties, "Name");
  // A generated name must not end in a hyphen: the random part ends it.
  const name =
    given ??
    generatedName(context, {
      maxLength: row.max,
      random: (n, a) => (env.random ?? randomChars)(Math.min(n, 6), a),
    });
  if (!row.pattern.test(name)) {
    throw new ResourceFailure(
      `The ${what} name '${name}' cannot be longer than '${row.max}' characters and can contain only alphanumeric characters and hyphens, and cannot begin or end with a hyphen${what === "load balancer" ? ", and cannot begin with 'internal-'" : ""}`,
    );
  }
  return name;
}

/** A port: an integer from 1 to 65535, or the service's validation failure. */
export function portProp(
  properties: Properties,
  key: string,
  required: boolean,
  context: ResourceContext,
): number | undefined {
  const value = properties[key];
  if (value === undefined) {
    if (required) requiredKey(context, key);
    return undefined;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ResourceFailure(
      `1 validation error detected: Value '${String(value)}' at '${key.charAt(0).toLowerCase()}${key.slice(1)}' failed to satisfy constraint: Member must have value less than or equal to 65535`,
    );
  }
  return port;
}

/** A list property of strings (subnets, security groups), or undefined when absent. */
export function stringList(properties: Properties, key: string): string[] | undefined {
  const value = properties[key];
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
    throw new ResourceFailure(`Property ${key} must be a list of strings, got ${JSON.stringify(value)}.`);
  }
  return list as string[];
}
