import { parseArgs } from "node:util";
import { exitQuietlyOnClosedPipe } from "./closed-pipe.ts";
import type { Command } from "./command.ts";
import { endOfLifeNote } from "./node-support.ts";
import { type Output, processOutput, reportError } from "./output.ts";
import { UsageError } from "./usage-error.ts";

/** A command by name and summary; its module (and what it imports) loads only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

// Every command's module (and what it imports: the local cloud, the bundler, the AWS SDK clients)
// loads only when that command runs: `sluice --help` reads no more than this file, and `dev` pays
// only for what dev starts. test/unit/cli-usage.test.ts checks these summaries against the modules'.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "dev",
    summary: "run the app locally: functions, queues, routing; reloads on change",
    load: async () => (await import("./commands/dev.ts")).devCommand,
  },
  {
    name: "invoke",
    summary: "invoke a function and print its result",
    load: async () => (await import("./commands/invoke.ts")).invokeCommand,
  },
  {
    name: "send",
    summary: "send a message to a queue",
    load: async () => (await import("./commands/send.ts")).sendCommand,
  },
  {
    name: "queues",
    summary: "show each queue: visible, in flight, delayed, dead-letter depth, oldest age",
    load: async () => (await import("./commands/queues.ts")).queuesCommand,
  },
  {
    name: "tables",
    summary: "show each DynamoDB table: items, size, stream and TTL",
    load: async () => (await import("./commands/tables.ts")).tablesCommand,
  },
  {
    name: "buckets",
    summary: "show each S3 bucket: objects and its local website URL",
    load: async () => (await import("./commands/buckets.ts")).bucketsCommand,
  },
  {
    name: "functions",
    summary: "show each function: state, last update status, provisioned, warm and busy environments",
    load: async () => (await import("./commands/functions.ts")).functionsCommand,
  },
  {
    name: "redrive",
    summary: "move messages from a dead-letter queue back to their source (or --to a queue)",
    load: async () => (await import("./commands/redrive.ts")).redriveCommand,
  },
  {
    name: "routes",
    summary: "list the HTTP and WebSocket API routes and the functions they invoke",
    load: async () => (await import("./commands/routes.ts")).routesCommand,
  },
  {
    name: "time",
    summary: "show the local cloud's clock, or move a running dev forward (`time advance 90m`)",
    load: async () => (await import("./commands/time.ts")).timeCommand,
  },
  {
    name: "schedules",
    summary: "list the app's schedules with their next fire times",
    load: async () => (await import("./commands/schedules.ts")).schedulesCommand,
  },
  {
    name: "executions",
    summary: "list Step Functions executions, newest first: status, start, duration",
    load: async () => (await import("./commands/executions.ts")).executionsCommand,
  },
  {
    name: "execution",
    summary: "show one Step Functions execution's history as a timeline",
    load: async () => (await import("./commands/execution.ts")).executionCommand,
  },
  {
    name: "traces",
    summary: "list recent traces, newest first: start, duration, hops, outcome, resources",
    load: async () => (await import("./commands/traces.ts")).tracesCommand,
  },
  {
    name: "trace",
    summary: "show one trace as a timeline: every hop in order, with payloads and logs",
    load: async () => (await import("./commands/trace.ts")).traceCommand,
  },
  {
    name: "fail",
    summary:
      "start a failover drill in a running dev: a region's outage, a function's forced failure, paused replication",
    load: async () => (await import("./commands/fail.ts")).failCommand,
  },
  {
    name: "heal",
    summary: "end failover drills in a running dev (all of them, or those named)",
    load: async () => (await import("./commands/heal.ts")).healCommand,
  },
  {
    name: "health",
    summary: "show a running dev's failover: health checks, what DNS answers, replication, drills",
    load: async () => (await import("./commands/health.ts")).healthCommand,
  },
  {
    name: "init",
    summary: "scaffold a new app (package.json, tsconfig, definition, handlers) that `sluice dev` runs",
    load: async () => (await import("./commands/init.ts")).initCommand,
  },
  {
    name: "build",
    summary: "bundle and zip every function for deployment",
    load: async () => (await import("./commands/build.ts")).buildCommand,
  },
  {
    name: "synth",
    summary: "write the app's CloudFormation template",
    load: async () => (await import("./commands/synth.ts")).synthCommand,
  },
  {
    name: "describe",
    summary: "draw the app as one offline HTML page",
    load: async () => (await import("./commands/describe.ts")).describeCommand,
  },
  {
    name: "bootstrap",
    summary: "create the artifact bucket deploy uploads to (once per account and region)",
    load: async () => (await import("./commands/bootstrap.ts")).bootstrapCommand,
  },
  {
    name: "deploy",
    summary: "build, synthesise and deploy the app with a CloudFormation change set",
    load: async () => (await import("./commands/deploy.ts")).deployCommand,
  },
  {
    name: "status",
    summary: "show a deployed stage: stack status, outputs, function states, queue depths",
    load: async () => (await import("./commands/status.ts")).statusCommand,
  },
  {
    name: "logs",
    summary: "show a deployed function's CloudWatch Logs",
    load: async () => (await import("./commands/logs.ts")).logsCommand,
  },
  {
    name: "destroy",
    summary: "delete a deployed stage and everything in it",
    load: async () => (await import("./commands/destroy.ts")).destroyCommand,
  },
  {
    name: "serve",
    summary: "serve the app's functions as a long-running server (HTTP, queues, schedules)",
    load: async () => (await import("./commands/serve.ts")).serveCommand,
  },
  {
    name: "cloud",
    summary: "run a local AWS account to deploy to (CloudFormation, S3, Logs, and what stacks deploy)",
    load: async () => (await import("./commands/cloud.ts")).cloudCommand,
  },
];
function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: sluice <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `sluice <command> --help` for a command's options.",
  ].join("\n");
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. `nodeVersion` is the
 * Node.js the run is on, for the end-of-life note (tests pass another).
 */
export async function main(
  argv: readonly string[],
  output: Output = processOutput,
  nodeVersion: string = process.versions.node,
): Promise<number> {
  if (output === processOutput) exitQuietlyOnClosedPipe();
  const note = endOfLifeNote(nodeVersion);
  if (note !== undefined) output.err(note);
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    output.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    output.out("0.1.0");
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    output.err(`unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
  const command = await entry.load();
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      output.out(command.help);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message, command.name);
    }
    const extra = parsed.positionals.slice(command.positionals ?? parsed.positionals.length);
    if (extra.length > 0) {
      const list = extra.map((arg) => JSON.stringify(arg)).join(", ");
      throw new UsageError(`unexpected argument${extra.length === 1 ? "" : "s"}: ${list}`, command.name);
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values }, output);
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`${error.message}\n\n${command.help}`);
      return 2;
    }
    reportError(output, error);
    return 1;
  }
}
