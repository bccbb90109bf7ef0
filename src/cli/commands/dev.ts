import { isAbsolute, relative } from "node:path";
import { renderAppSvg } from "../../aws/describe/render-html.ts";
import { type DevEvent, DevSession, type InitFailure } from "../../dev/dev-session.ts";
import type { ApiUrls } from "../../local/api-servers.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { gotValue, SluiceError } from "../../model/errors.ts";
import { ALLOW_HOST_HELP, allowHostOption } from "../allow-host-option.ts";
import { batchedOutput } from "../batched-output.ts";
import { appDir, type Command } from "../command.ts";
import { fleetBannerLines, printFleetEvent } from "../dev-fleets-output.ts";
import {
  latencyOption,
  printFailoverEvent,
  regionBannerLines,
  regionsListOption,
} from "../dev-regions-output.ts";
import { drillEventLine } from "../drill-output.ts";
import { iamOption, printEndpointEvent } from "../endpoint-output.ts";
import { bold, dim, type Output, processOutput, reportError } from "../output.ts";
import { runtimeMismatchNote } from "../runtime-mismatch.ts";
import { untilStopped } from "../stop-signal.ts";
import { UsageError } from "../usage-error.ts";
import { parseShortDuration } from "./time.ts";

export const devCommand: Command = {
  name: "dev",
  summary: "run the app locally: functions, queues, routing; reloads on change",
  help: [
    "Usage: sluice dev [dir] [options]",
    "",
    "Runs the application in dir (default: the current folder) with its state in dir/.sluice/.",
    "Streams function logs and reloads on change. Ctrl-C stops it cleanly.",
    "",
    "Options:",
    "  --dir DIR            the app's folder (same as the positional dir)",
    "  --host HOST          address the endpoint (control and AWS APIs) binds to (default 127.0.0.1)",
    "  --port PORT          port of the endpoint (default: a free port)",
    ...ALLOW_HOST_HELP,
    "  --http-port PORT     port of the HTTP API (default: a free port)",
    "  --ws-port PORT       port of the WebSocket API and its @connections API (default: a free port)",
    "  --iam MODE           enforce | warn | off: check functions' AWS calls against their",
    "                       permissions; enforce answers AccessDenied (default warn)",
    "  --idle-timeout SECS  seconds an idle execution environment stays warm (default 600)",
    "  --inactive-after DURATION  how long a function may go uninvoked before its state is",
    "                       Inactive, e.g. 30m, 12h, 14d (default 14d)",
    "  --max-environments N  execution environments alive at once; beyond it invocations are",
    "                       throttled (429 TooManyRequestsException) (default 64)",
    "  --no-watch           do not reload on file changes",
    "",
    "Several regions (the definition's `regions`, or --regions): one local cloud per region, with",
    "its state in dir/.sluice/regions/<region>/; clients choose one by the region they sign for.",
    "  --regions R1,R2      run these regions, the primary first (overrides the definition)",
    "  --replication-lag MS  delay before a global table's write reaches the other regions, on",
    "                       dev's clock (default 1000)",
    "  --latency R=MS,...   latency to each region for the domain's latency routing",
    "                       (default 10 ms for the primary, +10 ms per further region)",
    "  --dns-port PORT      port (UDP and TCP) of the DNS server answering the domain (default: a free port)",
    "  --front-door-port PORT  port of the front door forwarding to the region DNS picks",
    "                       (default: a free port)",
  ].join("\n"),
  positionals: 1,
  options: {
    dir: { type: "string" },
    host: { type: "string" },
    "allow-host": { type: "string", multiple: true },
    port: { type: "string" },
    "http-port": { type: "string" },
    "ws-port": { type: "string" },
    "idle-timeout": { type: "string" },
    "inactive-after": { type: "string" },
    "max-environments": { type: "string" },
    iam: { type: "string" },
    "no-watch": { type: "boolean" },
    regions: { type: "string" },
    "replication-lag": { type: "string" },
    latency: { type: "string" },
    "dns-port": { type: "string" },
    "front-door-port": { type: "string" },
  },
  async run(args, given) {
    // The process's own streams take a system call per write: lines go out once per turn, and
    // when they go to a file or a pipe (`sluice dev > dev.log`, watched) at most every few ms.
    const batched = given === processOutput ? batchedOutput(given, logSchedule()) : undefined;
    const output = batched ?? given;
    const port = numberOption(args.values.port, "--port");
    const idle = numberOption(args.values["idle-timeout"], "--idle-timeout");
    const inactiveAfterMs = durationOption(args.values["inactive-after"], "--inactive-after");
    const maxEnvironments = numberOption(args.values["max-environments"], "--max-environments");
    if (maxEnvironments === 0)
      throw new UsageError("--max-environments takes a whole number of at least 1", "dev");
    const httpPort = numberOption(args.values["http-port"], "--http-port");
    const websocketPort = numberOption(args.values["ws-port"], "--ws-port");
    const iam = iamOption(args.values.iam);
    const allowedHosts = allowHostOption(args.values["allow-host"], "dev");
    const regions = regionsListOption(args.values.regions);
    const replicationLagMs = numberOption(args.values["replication-lag"], "--replication-lag");
    const latencies = latencyOption(args.values.latency);
    const dnsPort = numberOption(args.values["dns-port"], "--dns-port");
    const frontDoorPort = numberOption(args.values["front-door-port"], "--front-door-port");
    // Installed first: a signal, or the parent's end, while dev starts closes it once it is up
    // (a second Ctrl-C ends the process at once, as the handlers are gone).
    const stop = untilStopped();
    const session = await DevSession.start({
      dir: appDir(args, args.positionals[0]),
      ...(typeof args.values.host === "string" ? { host: args.values.host } : {}),
      allowedHosts,
      port,
      httpPort,
      websocketPort,
      idleTimeoutMs: idle === undefined ? undefined : idle * 1000,
      inactiveAfterMs,
      maxEnvironments,
      watch: args.values["no-watch"] !== true,
      iam,
      ...(regions ? { regions } : {}),
      ...(replicationLagMs === undefined ? {} : { replicationLagMs }),
      ...(latencies ? { latencies } : {}),
      ...(dnsPort === undefined ? {} : { dnsPort }),
      ...(frontDoorPort === undefined ? {} : { frontDoorPort }),
      // The console draws the app as `sluice describe` does (dev may not import aws/).
      consoleGraph: renderAppSvg,
      onEvent: (event) => {
        printEvent(output, event);
        printEndpointEvent(output, event, iam);
      },
    }).catch((error: unknown) => {
      stop.dispose();
      // What was printed before the failure goes out before the CLI reports it.
      batched?.flush();
      throw portTaken(error);
    });
    await stop.signal;
    stop.dispose();
    // An orphan's output goes nowhere: a write could fail with EPIPE and cut the close short.
    if (!stop.orphaned()) output.err(dim(output, "stopping…"));
    await session.close();
    batched?.flush();
    return 0;
  },
};

/** How long lines for a file or a pipe may wait: each write to a log in the app folder wakes its watcher. */
const LOG_FLUSH_MS = 25;

function logSchedule(): ((flush: () => void) => void) | undefined {
  if (process.stdout.isTTY) return undefined;
  return (flush) => setTimeout(flush, LOG_FLUSH_MS).unref();
}

const PORT_FLAGS = {
  port: "--port",
  httpPort: "--http-port",
  websocketPort: "--ws-port",
  dnsPort: "--dns-port",
  frontDoorPort: "--front-door-port",
} as const;

/** A taken port, said in terms of the flag that chose it and how to choose another. */
function portTaken(error: unknown): unknown {
  // A --regions list with a wrong code is a usage error (exit 2), said as dev said it.
  if (error instanceof SluiceError && error.code === "SLUICE_REGIONS")
    return new UsageError(error.message, "dev");
  if (!(error instanceof SluiceError) || error.code !== "SLUICE_PORT_IN_USE") return error;
  const option = error.context.option as keyof typeof PORT_FLAGS;
  const flag = PORT_FLAGS[option] ?? "--port";
  return new SluiceError(
    "SLUICE_PORT_IN_USE",
    `${flag} ${String(error.context.port)}: ${error.message}. ` +
      `Choose another with ${flag} PORT, or leave ${flag} out to use a free port.`,
    { cause: error, context: error.context },
  );
}

function numberOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(gotValue(`${flag} takes a whole number`, value), "dev");
  return n;
}

function durationOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseShortDuration(String(value));
  } catch {
    throw new UsageError(gotValue(`${flag} takes a duration such as 30m, 12h or 14d`, value), "dev");
  }
}

/** What `dev` prints for an event: the banner when ready, then logs, reloads and failures. */
export function printEvent(output: Output, event: DevEvent): void {
  switch (event.type) {
    case "ready": {
      const { spec } = event;
      const fns = Object.values(spec.functions);
      const queues = Object.values(spec.queues);
      output.out(`${bold(output, `sluice dev: ${spec.name}`)} ready in ${event.startMs.toFixed(0)} ms`);
      output.out(`  control endpoint  ${event.url}`);
      // The token is in the URL: the page is reachable only by whoever can read this output.
      if (event.consoleUrl !== undefined) output.out(`  console           ${event.consoleUrl}`);
      printApis(output, event.spec, event.apis, event.caFile, event.regions?.[0]?.region);
      for (const line of regionBannerLines(output, event)) output.out(line);
      for (const line of fleetBannerLines(output, event)) output.out(line);
      for (const fn of fns) {
        const source = fn.consumes
          ? `consumes ${fn.consumes.queue}`
          : fn.consumesTable
            ? `consumes table ${fn.consumesTable.table}'s stream`
            : "invoked directly";
        const routes =
          fn.routes.kind === "targets"
            ? ` → ${fn.routes.targets.join(", ")}`
            : fn.routes.kind === "function"
              ? " → routing function"
              : "";
        output.out(`  function ${fn.name.padEnd(14)} ${dim(output, `${source}${routes}`)}`);
      }
      for (const q of queues) {
        const dlq = q.deadLetter
          ? ` → DLQ ${q.deadLetter.queue} after ${q.deadLetter.maxReceiveCount} receives`
          : "";
        output.out(
          `  queue    ${q.name.padEnd(14)} ${dim(output, `${q.queueName}${q.fifo ? " (FIFO)" : ""}${dlq}`)}`,
        );
      }
      for (const line of tableLines(output, spec)) output.out(line);
      for (const line of bucketLines(output, spec, event.websites)) output.out(line);
      for (const line of eventLines(output, spec)) output.out(line);
      for (const line of scheduleLines(output, spec)) output.out(line);
      for (const line of initFailureLines(event.initFailures)) output.err(line);
      const mismatch = runtimeMismatchNote(spec, process.versions.node);
      if (mismatch !== undefined) output.err(mismatch);
      return;
    }
    case "schedule-fired":
      output.out(
        dim(
          output,
          `[schedule ${event.schedule}] fired for ${new Date(event.scheduledTimeMs).toISOString()}`,
        ),
      );
      return;
    case "schedule-failed":
      output.err(
        `[schedule ${event.schedule}] delivery for ${new Date(event.scheduledTimeMs).toISOString()} failed:`,
      );
      reportError(output, event.error);
      return;
    case "schedule-missed":
      output.err(
        `[schedule ${event.schedule}] ${event.skipped} occurrences that fell due while dev was stopped were skipped`,
      );
      return;
    case "access":
      output.out(
        dim(
          output,
          `[${event.access.api}${event.region === undefined ? "" : ` ${event.region}`}] ${event.access.request} → ${event.access.status} (${event.access.ms.toFixed(1)} ms)`,
        ),
      );
      return;
    case "log": {
      const prefix = dim(
        output,
        `[${event.line.functionName}${event.region === undefined ? "" : ` ${event.region}`}]`,
      );
      const text = event.line.text;
      // START, END and REPORT (three lines per invocation) are one line each: no regex, no split.
      if (!text.includes("\n")) {
        output.out(`${prefix} ${text}`);
        return;
      }
      for (const line of text.replace(/\n$/, "").split("\n")) output.out(`${prefix} ${line}`);
      return;
    }
    case "reloaded":
      output.out(
        dim(
          output,
          `reloaded${event.restarted ? " (definition changed: cloud restarted)" : ""} in ${event.ms.toFixed(0)} ms`,
        ),
      );
      for (const line of initFailureLines(event.initFailures)) output.err(line);
      return;
    case "reload-failed":
      output.err("reload failed; the previous code keeps serving:");
      reportError(output, event.error);
      for (const line of initFailureLines(event.initFailures)) output.err(line);
      return;
    case "retry-scheduled":
      output.err(
        `[${event.functionName}] async invoke ${event.requestId} failed (${event.reason}); retry ${event.attempt} at ${new Date(event.atMs).toISOString()}`,
      );
      return;
    case "dropped":
      output.err(
        `[${event.functionName}] async event ${event.requestId} dropped: ${event.reason}` +
          (event.sentTo.length > 0 ? `; sent to ${event.sentTo.join(" and ")}` : ""),
      );
      return;
    case "destination-failed":
      output.err(
        `[${event.functionName}] could not send async event ${event.requestId} to ${event.destination}: ${event.reason}`,
      );
      return;
    case "batch-failed":
      output.err(
        `[${event.functionName}] batch of ${event.messageIds.length} left for redelivery: ${event.reason}`,
      );
      return;
    case "event-retry-scheduled":
      output.err(
        `[rule ${event.rule}] delivery of event ${event.eventId} to ${event.target} failed (${event.reason}); retry ${event.retry} at ${new Date(event.atMs).toISOString()}`,
      );
      return;
    case "event-dead-lettered":
    case "event-dropped":
      output.err(
        `[rule ${event.rule}] event ${event.eventId} not delivered to ${event.target}: ${event.reason}` +
          (event.deadLetterQueue === undefined ? "; dropped" : `; sent to ${event.deadLetterQueue}`),
      );
      return;
    case "stream-batch-failed":
      output.err(
        `[${event.functionName}] stream batch of ${event.sequenceNumbers.length} records failed (${event.reason}); retrying`,
      );
      return;
    case "stream-batch-discarded":
      output.err(
        `[${event.functionName}] stream batch of ${event.sequenceNumbers.length} records discarded: ${event.condition}`,
      );
      return;
    case "stream-iterator-age": {
      const line = iteratorAgeLine(event.functionName, event.ageMs);
      if (line !== undefined) output.out(dim(output, line));
      return;
    }
    case "bucket-kept":
      output.err(
        `bucket ${event.bucketName} is no longer in the definition; its ${event.objects} object${event.objects === 1 ? " is" : "s are"} kept (to remove it: aws s3 rb s3://${event.bucketName} --force --endpoint-url <control endpoint>)`,
      );
      return;
    case "s3-notification-dropped":
      output.err(`[bucket ${event.bucket}] event not delivered: ${event.reason}; dropped`);
      return;
    case "s3-notification-retry":
      output.err(
        `[bucket ${event.bucket}] delivery of an event to ${event.target} failed (${event.reason}); retry at ${new Date(event.atMs).toISOString()}`,
      );
      return;
    case "drill":
      output.out(drillEventLine(event.action, event.drill));
      return;
    case "event-delivered":
    case "throttled":
      return;
    default:
      if (!printFleetEvent(output, event)) printFailoverEvent(output, event);
      return;
  }
}

/**
 * A stream mapping whose records wait this long (IteratorAge) is behind its table: dev says so
 * once when it falls behind, and again when it has caught up, not after every batch.
 */
const ITERATOR_AGE_NOTE_MS = 1000;
const behind = new Set<string>();

function iteratorAgeLine(functionName: string, ageMs: number): string | undefined {
  const late = ageMs >= ITERATOR_AGE_NOTE_MS;
  if (late === behind.has(functionName)) return undefined;
  if (late) behind.add(functionName);
  else behind.delete(functionName);
  return late
    ? `[${functionName}] stream iterator age ${(ageMs / 1000).toFixed(1)} s: the mapping is behind its table`
    : `[${functionName}] stream iterator age ${ageMs.toFixed(0)} ms: caught up`;
}

function tableLines(output: Output, spec: AppSpec): string[] {
  return Object.values(spec.tables ?? {}).map((t) => {
    const traits = [
      ...(t.stream ? [`stream ${t.stream}`] : []),
      ...(t.ttlAttribute ? [`TTL ${t.ttlAttribute}`] : []),
    ];
    const detail = `${t.tableName}${traits.length > 0 ? ` (${traits.join(", ")})` : ""}`;
    return `  table    ${t.name.padEnd(14)} ${dim(output, detail)}`;
  });
}

function eventLines(output: Output, spec: AppSpec): string[] {
  const lines: string[] = [];
  for (const bus of Object.values(spec.events?.buses ?? {})) {
    lines.push(`  bus      ${bus.name.padEnd(14)} ${dim(output, bus.eventBusName)}`);
  }
  for (const rule of Object.values(spec.events?.rules ?? {})) {
    const targets = rule.targets.map((t) => `${t.kind} ${t.name}`).join(", ");
    lines.push(`  rule     ${rule.name.padEnd(14)} ${dim(output, `on bus ${rule.bus} → ${targets}`)}`);
  }
  return lines;
}

/** Each bucket, what it sends its events to, and the local URL of each website. */
function bucketLines(output: Output, spec: AppSpec, websites: Readonly<Record<string, string>>): string[] {
  const lines: string[] = [];
  for (const bucket of Object.values(spec.buckets ?? {})) {
    const targets = [
      ...bucket.notifications.map((n) => `${n.target.kind} ${n.target.name}`),
      ...(bucket.eventBridge ? ["default bus"] : []),
    ];
    const traits = [
      ...(bucket.versioning ? ["versioned"] : []),
      ...(targets.length > 0 ? [`events → ${targets.join(", ")}`] : []),
    ];
    const detail = `${bucket.bucketName}${traits.length > 0 ? ` (${traits.join("; ")})` : ""}`;
    lines.push(`  bucket   ${bucket.name.padEnd(14)} ${dim(output, detail)}`);
    const url = websites[bucket.name];
    if (url !== undefined) lines.push(`  website  ${bucket.name.padEnd(14)} ${url}`);
  }
  return lines;
}

/** Flagged in the banner: otherwise a missing export stays silent until the first event. */
function initFailureLines(failures: readonly InitFailure[]): string[] {
  return failures.map(
    (f) => `  init failed: function ${f.functionName}: ${f.reason} (fix the code; dev reloads on save)`,
  );
}

function scheduleLines(output: Output, spec: AppSpec): string[] {
  const schedules = Object.values(spec.schedules ?? {});
  const lines = schedules.map((s) => {
    const target = `→ ${s.target.kind} ${s.target.name}${s.enabled ? "" : " (disabled)"}`;
    return `  schedule ${s.name.padEnd(14)} ${dim(output, `${s.expression} ${s.timezone} ${target}`)}`;
  });
  if (lines.length > 0) lines.push(dim(output, "  next fire times: sluice schedules"));
  return lines;
}

/** `region`: the primary's, named when dev runs several. */
function printApis(output: Output, spec: AppSpec, apis: ApiUrls, caFile: string, region?: string): void {
  const where = region === undefined ? "" : `  ${dim(output, region)}`;
  if (apis.http !== undefined) {
    output.out(`  HTTP API          ${apis.http}${where}`);
    for (const route of spec.http?.routes ?? []) {
      output.out(
        `    ${route.routeKey.padEnd(28)} ${dim(output, `→ ${route.function}${route.health ? " (health check)" : ""}`)}`,
      );
    }
  }
  if (apis.websocket !== undefined) {
    output.out(`  WebSocket API     ${apis.websocket}${where}`);
    output.out(`  @connections API  ${apis.websocketCallback ?? ""}`);
    // What AWS's samples build (`https://${domainName}/${stage}`); functions trust the local CA,
    // other clients are given its certificate.
    if (apis.websocketSecureCallback !== undefined) {
      const trust = dim(output, `(other clients trust ${displayPath(caFile)})`);
      output.out(`${" ".repeat(20)}${apis.websocketSecureCallback}  ${trust}`);
    }
    for (const route of spec.websocket?.routes ?? []) {
      output.out(`    ${route.routeKey.padEnd(28)} ${dim(output, `→ ${route.function}`)}`);
    }
  }
}

/** A path relative to the working folder when it is inside it, as the user would type it. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}
