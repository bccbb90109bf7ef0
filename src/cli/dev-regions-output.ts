/**
 * `sluice dev` with several regions: its options (`--regions`, `--latency`, …) and what the banner
 * adds, each region's API URLs, then the domain's front door, its DNS server and replication.
 */
import type { DevEvent } from "../dev/dev-session.ts";
import { gotValue } from "../model/errors.ts";
import { dim, type Output } from "./output.ts";
import { UsageError } from "./usage-error.ts";

/** `--regions us-east-1,us-west-2`: a comma list (dev checks the codes). */
export function regionsListOption(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const regions = String(value)
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0);
  if (regions.length === 0)
    throw new UsageError(gotValue("--regions takes Region codes, comma-separated", value), "dev");
  return regions;
}

/** `--latency us-east-1=20,us-west-2=80`: ms per region. */
export function latencyOption(value: unknown): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  const latencies: Record<string, number> = Object.create(null);
  const wrong: string[] = [];
  for (const entry of String(value).split(",")) {
    const match = /^\s*([a-z0-9-]+)=(\d+)\s*$/.exec(entry);
    if (match) latencies[match[1] as string] = Number(match[2]);
    else wrong.push(entry);
  }
  if (wrong.length > 0)
    throw new UsageError(
      gotValue(
        "--latency takes REGION=MS pairs, comma-separated, such as us-east-1=20,us-west-2=80",
        wrong.join(","),
      ),
      "dev",
    );
  return latencies;
}

/** The banner's lines for the regions after the primary, and for failover; none for one region. */
export function regionBannerLines(output: Output, event: Extract<DevEvent, { type: "ready" }>): string[] {
  const lines: string[] = [];
  const regions = event.regions ?? [];
  // One region with a fleet behind the domain (issue 19) has failover lines but no region lines.
  if (regions.length > 0)
    lines.push(
      `  regions           ${regions.map((r, i) => (i === 0 ? `${r.region} (primary)` : r.region)).join(", ")}  ${dim(output, "(each its own cloud; clients pick one by the region they sign for)")}`,
    );
  for (const { region, apis } of regions.slice(1)) {
    if (apis.http !== undefined) lines.push(`  HTTP API          ${apis.http}  ${dim(output, region)}`);
    if (apis.websocket !== undefined)
      lines.push(`  WebSocket API     ${apis.websocket}  ${dim(output, region)}`);
  }
  const failover = event.failover;
  if (failover?.domain !== undefined) {
    const { domain } = failover;
    if (failover.frontDoorUrl !== undefined)
      lines.push(
        `  front door        ${failover.frontDoorUrl}  ${dim(output, `(${domain.name}, ${domain.routing} routing: forwards to the ${regions.length > 0 ? "region" : "API or fleet"} DNS answers)`)}`,
      );
    if (failover.dnsPort !== undefined)
      lines.push(
        `  DNS server        127.0.0.1:${failover.dnsPort}  ${dim(output, `(dig @127.0.0.1 -p ${failover.dnsPort} ${domain.name})`)}`,
      );
    for (const check of failover.healthChecks)
      lines.push(
        `  health check      ${check.region} ${check.path} every ${check.intervalSeconds} s, threshold ${check.failureThreshold}`,
      );
  }
  if (failover?.globalTables !== undefined && failover.globalTables.length > 0) {
    lines.push(
      `  replication       ${failover.globalTables.join(", ")}  ${dim(output, `(global tables; lag ${failover.replicationLagMs} ms on dev's clock)`)}`,
    );
  }
  return lines;
}

/** Lines for replication and Route 53 events (drills: drill-output.ts); false for any other event. */
export function printFailoverEvent(output: Output, event: DevEvent): boolean {
  switch (event.type) {
    case "replicated":
      output.out(
        dim(
          output,
          `[replication] ${event.table}: ${event.count} write${event.count === 1 ? "" : "s"} ${event.from} → ${event.to}`,
        ),
      );
      return true;
    case "replication-lagging":
      output.err(
        `[replication] ${event.from} → ${event.to} is behind: ${event.waiting} write${event.waiting === 1 ? "" : "s"} waiting, the oldest ${(event.oldestAgeMs / 1000).toFixed(1)} s`,
      );
      return true;
    case "replication-caught-up":
      output.out(dim(output, `[replication] ${event.from} → ${event.to} caught up`));
      return true;
    case "replication-paused":
      output.err("[replication] paused: writes wait in their region");
      return true;
    case "replication-resumed":
      output.out(
        `[replication] resumed: ${event.waiting} waiting write${event.waiting === 1 ? "" : "s"} replicate`,
      );
      return true;
    case "replication-error":
      output.err(`[replication] ${event.from} → ${event.to} failed (retried): ${event.message}`);
      return true;
    case "health-changed": {
      const line = `[route53] health check ${event.checkId} (${event.region}) is now ${event.healthy ? "healthy" : "UNHEALTHY"}`;
      if (event.healthy) output.out(line);
      else output.err(line);
      return true;
    }
    case "dns-changed":
      output.out(
        event.region === undefined
          ? `[route53] DNS answers nothing for ${event.name}`
          : `[route53] DNS answers ${event.name} → ${event.region}`,
      );
      return true;
    default:
      return false;
  }
}
