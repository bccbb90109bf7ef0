/**
 * Reads a multi-region app's `regions` and `domain` (failover.ts holds what a user writes) into
 * `RegionsSpec` and `DomainSpec`, and a function's `health.route53` into `Route53HealthSpec`. The
 * rules that tie them together (a domain needs regions and one Route 53 checked health route, …)
 * are in failover-rules.ts.
 */
import type { DomainSpec, RegionsSpec } from "../app-spec.ts";
import { canonicalDnsName, type DnsNameProblem, dnsNameProblem } from "../dns-name.ts";
import { parseDuration } from "../duration.ts";
import type { Route53HealthSpec } from "../http-api.ts";
import { LIMITS } from "../limits.ts";
import { AWS_REGIONS, isAwsRegion } from "../regions.ts";
import { closest } from "./suggest.ts";
import {
  checkKeys,
  type Issues,
  join,
  quoteList,
  readInteger,
  readObject,
  readOptional,
  readString,
} from "./values.ts";

const ROUTE53 = LIMITS.route53;
const REGIONS_KEYS = ["primary", "secondary"] as const;
const DOMAIN_KEYS = ["name", "hostedZone", "routing"] as const;
const ROUTE53_KEYS = ["interval", "failureThreshold", "alarmEmail"] as const;
const ROUTINGS: readonly DomainSpec["routing"][] = ["failover", "latency"];
const REGIONS_EXAMPLE = `regions: { primary: "us-east-1", secondary: ["us-west-2"] }`;
const DOMAIN_EXAMPLE = `domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" }`;
/** An SNS email subscription's endpoint: something@host.tld, no spaces (a plausibility check). */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** `regions`: a real primary and one or more real, distinct secondaries of the same partition. */
export function readRegions(issues: Issues, value: unknown): RegionsSpec | undefined {
  if (value === undefined) return undefined;
  const fields = readObject(issues, "regions", value, REGIONS_EXAMPLE);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, "regions", fields, REGIONS_KEYS);
  const primary = readRegionCode(issues, "regions.primary", fields.primary);
  const secondary = readSecondary(issues, fields.secondary, primary);
  if (primary === undefined || secondary === undefined || issues.list.length > before) return undefined;
  return { primary, secondary };
}

function readSecondary(issues: Issues, value: unknown, primary: string | undefined): string[] | undefined {
  const path = "regions.secondary";
  if (!Array.isArray(value) || value.length === 0) {
    issues.add(
      path,
      value,
      "regions.secondary must list at least one region (the regions the app fails over to)",
      "a non-empty array of AWS Region codes",
      `write secondary: ["us-west-2"], or remove regions for a one-region app`,
    );
    return undefined;
  }
  const seen = new Set<string>();
  const regions: string[] = [];
  let valid = true;
  value.forEach((raw, index) => {
    const at = join(path, index);
    const region = readRegionCode(issues, at, raw);
    if (region === undefined) {
      valid = false;
      return;
    }
    if (region === primary || seen.has(region)) {
      const what = region === primary ? "it is already the primary" : "it is listed twice";
      issues.add(at, region, `region "${region}" is named twice: ${what}`, "each region once", "remove it");
      valid = false;
      return;
    }
    if (primary !== undefined && partitionOf(region) !== partitionOf(primary)) {
      issues.add(
        at,
        region,
        `region "${region}" is in partition "${partitionOf(region)}", the primary "${primary}" in "${partitionOf(primary)}"`,
        `regions of the primary's partition "${partitionOf(primary)}", e.g. ${quoteList(regionsOf(primary).slice(0, 4))}`,
        "pick regions of one partition (global tables and Route 53 failover do not cross partitions)",
      );
      valid = false;
      return;
    }
    seen.add(region);
    regions.push(region);
  });
  return valid ? regions : undefined;
}

function readRegionCode(issues: Issues, path: string, value: unknown): string | undefined {
  const region = readString(issues, path, value, `"us-east-1"`);
  if (region === undefined || isAwsRegion(region)) return region;
  const suggestion = closest(region.toLowerCase(), AWS_REGIONS.aws);
  issues.add(
    path,
    region,
    `"${region}" is not an AWS Region code`,
    `a Region code such as "us-east-1" or "eu-west-2" (AWS's list of Regions)`,
    suggestion === undefined ? `write e.g. "us-west-2"` : `did you mean "${suggestion}"?`,
  );
  return undefined;
}

function partitionOf(region: string): string | undefined {
  for (const [partition, regions] of Object.entries(AWS_REGIONS)) {
    if ((regions as readonly string[]).includes(region)) return partition;
  }
  return undefined;
}

function regionsOf(region: string): readonly string[] {
  const partition = partitionOf(region) as keyof typeof AWS_REGIONS | undefined;
  return partition === undefined ? [] : AWS_REGIONS[partition];
}

/** `domain`: a host name in its hosted zone (or the zone's apex), and the routing policy. */
export function readDomain(issues: Issues, value: unknown): DomainSpec | undefined {
  if (value === undefined) return undefined;
  const fields = readObject(issues, "domain", value, DOMAIN_EXAMPLE);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, "domain", fields, DOMAIN_KEYS);
  const name = readDnsName(issues, "domain.name", fields.name, `"api.example.com"`);
  const hostedZone = readDnsName(issues, "domain.hostedZone", fields.hostedZone, `"example.com"`);
  const routing = readRouting(issues, fields.routing);
  if (
    name !== undefined &&
    hostedZone !== undefined &&
    name !== hostedZone &&
    !name.endsWith(`.${hostedZone}`)
  ) {
    issues.add(
      "domain.name",
      fields.name,
      `"${name}" is not in the hosted zone "${hostedZone}", so Route 53 cannot hold its records there`,
      `"${hostedZone}" itself or a name ending with ".${hostedZone}"`,
      `write name: "api.${hostedZone}", or set hostedZone to the zone that holds "${name}"`,
    );
  }
  const commonName = ROUTE53.certificateCommonName.max;
  if (name !== undefined && name.length > commonName) {
    // Deploy requests the API's certificate for the name itself, its Common Name in ACM.
    issues.add(
      "domain.name",
      fields.name,
      `"${name}" is ${name.length} characters, but ACM's certificate for it takes a domain name of at most ${commonName}`,
      `a host name of at most ${commonName} characters`,
      `shorten the name by ${name.length - commonName} characters, e.g. "api.${hostedZone ?? "example.com"}"`,
    );
  }
  if (name === undefined || hostedZone === undefined || routing === undefined) return undefined;
  return issues.list.length > before ? undefined : { name, hostedZone, routing };
}

/** A DNS host name, lowercased, one trailing dot dropped (Route 53 treats both alike). */
function readDnsName(issues: Issues, path: string, value: unknown, example: string): string | undefined {
  const text = readString(issues, path, value, example);
  if (text === undefined) return undefined;
  const name = canonicalDnsName(text);
  const row = ROUTE53.domainName;
  const problem = dnsNameProblem(name);
  if (problem === undefined) return name;
  issues.add(
    path,
    value,
    problem.kind === "too-long"
      ? `"${text.slice(0, 40)}…" is ${name.length} characters, above the ${row.max} of a domain name`
      : `"${text}" is not a valid host name: ${labelProblem(problem)}`,
    `dot-separated labels of 1–${ROUTE53.domainLabel.max} letters, digits and inner hyphens, at most ${row.max} characters`,
    `write it like ${example}`,
  );
  return undefined;
}

function labelProblem(problem: Exclude<DnsNameProblem, { kind: "too-long" }>): string {
  if (problem.kind === "one-label") return "it needs two labels or more";
  if (problem.kind === "short-top-label")
    return `its last label "${problem.label}" needs two characters or more`;
  const label = `label "${problem.label}"`;
  if (problem.kind === "empty-label") return `${label} is empty (two dots in a row, or a leading dot)`;
  if (problem.kind === "long-label")
    return `${label} is ${problem.label.length} characters, above ${ROUTE53.domainLabel.max}`;
  if (problem.kind === "edge-hyphen") return `${label} starts or ends with a hyphen`;
  return `${label} holds characters other than letters, digits and hyphens`;
}

function readRouting(issues: Issues, value: unknown): DomainSpec["routing"] | undefined {
  if ((ROUTINGS as readonly unknown[]).includes(value)) return value as DomainSpec["routing"];
  issues.add(
    "domain.routing",
    value,
    "routing is the Route 53 routing policy of the domain's records",
    `${quoteList(ROUTINGS)}: "failover" answers with the primary while it is healthy, "latency" with the nearest healthy region`,
    `write routing: "failover"`,
  );
  return undefined;
}

/** A function's `health.route53`: `true`, or Route 53's interval, threshold and an alarm email. */
export function readRoute53Health(
  issues: Issues,
  path: string,
  value: unknown,
): Route53HealthSpec | undefined {
  const example = `route53: { interval: "30 seconds", failureThreshold: 3 }`;
  const fields = value === true ? {} : readObject(issues, path, value, example);
  if (fields === undefined) return undefined;
  const before = issues.list.length;
  checkKeys(issues, path, fields, ROUTE53_KEYS);
  const at = (key: string): string => join(path, key);
  const intervalSeconds = readOptional(fields.interval, ROUTE53.requestInterval.default, (v) =>
    readInterval(issues, at("interval"), v),
  );
  const failureThreshold = readOptional(fields.failureThreshold, ROUTE53.failureThreshold.default, (v) =>
    readInteger(issues, at("failureThreshold"), v, ROUTE53.failureThreshold),
  );
  const alarmEmail =
    fields.alarmEmail === undefined ? undefined : readEmail(issues, at("alarmEmail"), fields.alarmEmail);
  if (intervalSeconds === undefined || failureThreshold === undefined || issues.list.length > before) {
    return undefined;
  }
  return { intervalSeconds, failureThreshold, ...(alarmEmail === undefined ? {} : { alarmEmail }) };
}

function readInterval(issues: Issues, path: string, value: unknown): 10 | 30 | undefined {
  const seconds = parseDuration(value);
  if (seconds === 10 || seconds === 30) return seconds;
  issues.add(
    path,
    value,
    "interval is Route 53's RequestInterval, which is 10 or 30 seconds and nothing else",
    `"10 seconds" (a fast health check) or "30 seconds"`,
    typeof value === "number" && (value === 10 || value === 30)
      ? `write it with its unit: interval: "${value} seconds"`
      : `write interval: "30 seconds"`,
  );
  return undefined;
}

function readEmail(issues: Issues, path: string, value: unknown): string | undefined {
  const text = readString(issues, path, value, `"ops@example.com"`);
  if (text === undefined || EMAIL.test(text)) return text;
  issues.add(
    path,
    value,
    `"${text}" is not an email address (SNS emails the alarm to it)`,
    "an email address such as ops@example.com",
    `write alarmEmail: "ops@example.com", or leave it out for no notifications`,
  );
  return undefined;
}
