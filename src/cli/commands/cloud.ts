/**
 * `sluice cloud`: runs a local AWS account that `sluice deploy --endpoint-url` deploys to. Prints
 * the endpoint and, as stacks settle, what each region runs; streams deployed functions' logs.
 */
import { join, resolve } from "node:path";
import { packageRoot } from "../../bundle/package-root.ts";
import { unzipServerArtifact } from "../../bundle/server-artifact.ts";
import { CloudHost, type CloudHostEvent, DEFAULT_STATE_DIR } from "../../local/cloud-host/index.ts";
import type { ReplicationEvent } from "../../local/dynamodb/index.ts";
import { gotValue } from "../../model/errors.ts";
import { ALLOW_HOST_HELP, allowHostOption } from "../allow-host-option.ts";
import type { Command } from "../command.ts";
import { iamOption, printEndpointEvent } from "../endpoint-output.ts";
import { bold, dim, type Output } from "../output.ts";
import { untilStopped } from "../stop-signal.ts";
import { UsageError } from "../usage-error.ts";

export const cloudCommand: Command = {
  name: "cloud",
  summary: "run a local AWS account to deploy to (CloudFormation, S3, Logs, and what stacks deploy)",
  help: [
    "Usage: sluice cloud [options]",
    "",
    "Runs one local AWS account: an endpoint serving CloudFormation, S3, CloudWatch Logs, SQS,",
    "Lambda, EventBridge and STS for every region. Deploy to it with",
    "`sluice deploy --endpoint-url URL`; what the stacks declare then runs here. State lives in",
    `${DEFAULT_STATE_DIR}/ (one SQLite file for the account, one folder per region). Ctrl-C stops it.`,
    `The control API's token is in ${DEFAULT_STATE_DIR}/control.json, readable by you only.`,
    "",
    "Options:",
    "  --port PORT    port of the endpoint (default: the port it had last time, else a free one)",
    "  --dns-port PORT  port of the Route 53 DNS server, UDP and TCP (default: a free one)",
    "  --host HOST    address the endpoint and deployed APIs bind to (default 127.0.0.1)",
    "  --allow-host NAME",
    ...ALLOW_HOST_HELP.slice(0, 3).map((line) => `                 ${line.slice(23)}`),
    `  --state DIR    the account's state folder (default ./${DEFAULT_STATE_DIR})`,
    "  --iam MODE     enforce | warn | off: check deployed functions' AWS calls against their",
    "                 roles' inline policies; enforce answers AccessDenied (default warn)",
    "  --json         print one JSON object per event instead of text",
  ].join("\n"),
  positionals: 0,
  options: {
    port: { type: "string" },
    "dns-port": { type: "string" },
    host: { type: "string" },
    "allow-host": { type: "string", multiple: true },
    state: { type: "string" },
    iam: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, output) {
    const port = portOption(args.values.port);
    const dnsPort = portOption(args.values["dns-port"]);
    const iam = iamOption(args.values.iam);
    const json = args.values.json === true;
    const allowedHosts = allowHostOption(args.values["allow-host"], "cloud");
    const stateDir = resolve(typeof args.values.state === "string" ? args.values.state : DEFAULT_STATE_DIR);
    // Installed first: a signal, or the parent's end, while the cloud starts closes it once it is up
    // (a second Ctrl-C ends the process at once, as the handlers are gone).
    const stop = untilStopped();
    const host = await CloudHost.start({
      stateDir,
      ...(typeof args.values.host === "string" ? { host: args.values.host } : {}),
      port,
      ...(dnsPort === undefined ? {} : { dnsPort }),
      allowedHosts,
      iam,
      // Each deployed server fleet runs as this CLI's own `sluice serve` (issue 19).
      fleets: {
        command: process.execPath,
        args: [join(packageRoot(), "bin", "sluice.js")],
        unzip: (zipFile, dir) => void unzipServerArtifact(zipFile, dir),
      },
      onEvent: (event) => (json ? printJson(output, event) : printEvent(output, event, iam)),
    }).catch((error: unknown) => {
      stop.dispose();
      throw error;
    });
    if (json)
      output.out(
        JSON.stringify({
          type: "ready",
          url: host.url,
          stateDir,
          accountId: host.accountId,
          dnsPort: host.failover.dnsPort,
        }),
      );
    else {
      output.out(`${bold(output, "sluice cloud")} account ${host.accountId}, state in ${stateDir}`);
      output.out(`  endpoint  ${host.url}  (IAM: ${iam})`);
      output.out(`  deploy    sluice deploy --endpoint-url ${host.url} --region us-east-1`);
      // Route 53's answers for the deployed record sets (UDP and TCP on one port).
      output.out(
        `  dns       127.0.0.1:${host.failover.dnsPort}  (dig @127.0.0.1 -p ${host.failover.dnsPort} <name>)`,
      );
      output.out(dim(output, `  AWS SDKs and the AWS CLI reach it with AWS_ENDPOINT_URL=${host.url}`));
    }
    await stop.signal;
    stop.dispose();
    // An orphan's output goes nowhere: a write could fail with EPIPE and cut the close short.
    if (!json && !stop.orphaned()) output.err(dim(output, "stopping…"));
    await host.close();
    return 0;
  },
};

function portOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(gotValue("--port takes a port number 0-65535", value), "cloud");
  }
  return n;
}

function printEvent(output: Output, event: CloudHostEvent, iam: "enforce" | "warn" | "off"): void {
  switch (event.type) {
    case "region-rebuilt": {
      output.out(bold(output, `[${event.region}] running the region's stacks`));
      for (const note of event.notes) output.err(`  note: ${note}`);
      return;
    }
    case "region-error":
      output.err(
        `[${event.region}] the region's cloud could not open: ${(event.error as Error)?.message ?? String(event.error)}`,
      );
      return;
    case "cloud":
      if (event.event.type === "log") {
        const line = event.event.line;
        output.out(
          `${dim(output, `[${event.region} ${line.functionName}]`)} ${line.text.replace(/\n$/, "")}`,
        );
      }
      return;
    case "route53":
      output.out(
        event.event.type === "health-changed"
          ? `[route53] health check ${event.event.checkId} (${event.event.region}) is now ${event.event.healthy ? "healthy" : "unhealthy"}`
          : `[route53] ${event.event.name} now answers ${event.event.region ?? "nothing"}`,
      );
      return;
    case "fleet": {
      const fleet = event.event;
      const where = `[${event.region} ${fleet.key}]`;
      if (fleet.type === "fleet-log") output.out(`${dim(output, where)} ${fleet.line}`);
      else if (fleet.type === "fleet-started")
        output.out(`${where} sluice serve started (pid ${fleet.pid}) on port ${fleet.port}`);
      else if (fleet.type === "fleet-exited")
        output.err(`${where} sluice serve exited (${fleet.signal ?? `code ${fleet.code}`})`);
      else
        output.err(
          `${where} sluice serve could not start: ${(fleet.error as Error)?.message ?? String(fleet.error)}`,
        );
      return;
    }
    case "replication":
      if (event.event.type === "replicated") return;
      output.err(`[global tables] ${replicationText(event.event)}`);
      return;
    case "s3-notification":
      output.err(
        `[bucket ${event.event.bucket}] event for ${event.event.target}: ${event.event.reason}` +
          (event.event.type === "s3-notification-dropped" ? "; dropped" : "; retrying"),
      );
      return;
    default:
      printEndpointEvent(output, event, iam);
  }
}

function replicationText(event: ReplicationEvent): string {
  switch (event.type) {
    case "replication-lagging":
      return `${event.waiting} writes from ${event.from} wait for ${event.to} (oldest ${Math.round(event.oldestAgeMs / 1000)} s)`;
    case "replication-caught-up":
      return `${event.to} caught up with ${event.from}`;
    case "replication-paused":
      return "replication paused";
    case "replication-resumed":
      return `replication resumed; ${event.waiting} writes waiting`;
    case "replicated":
      return `replicated ${event.count} writes of ${event.table} from ${event.from} to ${event.to}`;
    default:
      return `replication from ${event.from} to ${event.to} failed: ${event.message}`;
  }
}

function printJson(output: Output, event: CloudHostEvent): void {
  if (event.type === "cloud" && event.event.type !== "log") return;
  const error = "error" in event ? { error: (event.error as Error)?.message ?? String(event.error) } : {};
  if (event.type === "fleet" && event.event.type === "fleet-error") {
    const message = (event.event.error as Error)?.message ?? String(event.event.error);
    output.out(JSON.stringify({ ...event, event: { ...event.event, error: message } }));
    return;
  }
  output.out(JSON.stringify({ ...event, ...error }));
}
