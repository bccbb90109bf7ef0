/**
 * How drills and the failover report read: `sluice fail`, `sluice heal`, `sluice health`, and
 * the drill lines in `dev`'s log all word a drill the same way.
 */
import type { Drill, FailoverReport, HealthCheckReport, PingReport } from "../local/drill-operations.ts";
import { dim, type Output, table } from "./output.ts";

/** What a drill does, e.g. `us-east-1 fails (its APIs answer 503)`. */
export function drillText(drill: Drill): string {
  switch (drill.kind) {
    case "region":
      return `${drill.region} fails (its APIs answer 503)`;
    case "function":
      return `${drill.function} fails its health checks in ${drill.region} (${drill.variable}=true)`;
    case "replication":
      return "replication paused (writes wait in their region)";
  }
}

/** What healing a drill gives back, e.g. `us-east-1 healed (its APIs answer again)`. */
export function healedText(drill: Drill): string {
  switch (drill.kind) {
    case "region":
      return `${drill.region} healed (its APIs answer again)`;
    case "function":
      return `${drill.function} healed in ${drill.region} (${drill.variable} unset)`;
    case "replication":
      return "replication resumed (waiting writes replicate)";
  }
}

/** `dev`'s log line for a drill event. */
export function drillEventLine(action: "fail" | "heal", drill: Drill): string {
  return `drill: ${action === "fail" ? drillText(drill) : healedText(drill)}`;
}

/** `sluice health`'s view of a FailoverReport. */
export function printFailoverReport(output: Output, report: FailoverReport): void {
  const [primary, ...others] = report.regions;
  output.out(`regions      ${[`${primary} (primary)`, ...others].join(", ")}`);
  if (report.dns) {
    const { dns } = report;
    output.out(
      `dns          ${dns.name} (${dns.routing}) → ${dns.region === undefined ? "no answer (NXDOMAIN)" : `${dns.region}  ${dim(output, dns.target ?? "")}`}`,
    );
  }
  if (report.replication) {
    const { replication } = report;
    output.out(`replication  ${replication.paused ? "paused" : "running"}`);
    for (const d of replication.directions) {
      const oldest = d.oldestAgeMs === undefined ? "" : `, oldest ${seconds(d.oldestAgeMs)} old`;
      const last = d.lastReplicatedAt === undefined ? "" : dim(output, `  last ${time(d.lastReplicatedAt)}`);
      output.out(`  ${d.from} → ${d.to}: ${d.waiting} waiting${oldest}${last}`);
    }
  }
  output.out("");
  if (report.checks.length === 0) output.out(dim(output, "no Route 53 health checks (health: { route53 })"));
  else
    output.out(
      table([["CHECK", "REGION", "STATUS", "IN A ROW", "LAST RESULTS"], ...report.checks.map(checkRow)]),
    );
  output.out("");
  if (report.drills.length === 0) output.out("no drills in force");
  else {
    output.out("drills in force:");
    for (const drill of report.drills)
      output.out(`  ${drillText(drill)}${dim(output, `  since ${time(drill.since)}`)}`);
  }
}

function checkRow(check: HealthCheckReport): string[] {
  const last = check.lastResults.at(-1);
  const streak = last === undefined ? "-" : `${check.consecutive} ${last.ok ? "passed" : "failed"}`;
  return [
    check.id,
    check.region,
    check.healthy ? "healthy" : "unhealthy",
    `${streak} (of ${check.failureThreshold})`,
    check.lastResults.slice(-5).map(pingText).join(" ") || "none yet",
  ];
}

/** `503@12:00:30`, or the error's first word when no status came. */
function pingText(ping: PingReport): string {
  const what =
    ping.statusCode === undefined ? (ping.error ?? "error").split(/\s/)[0] : String(ping.statusCode);
  return `${what}@${time(ping.atMs).slice(11, 19)}`;
}

function time(ms: number): string {
  return new Date(ms).toISOString();
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
