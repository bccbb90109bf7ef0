import { parseArgs } from "node:util";
import { exitQuietlyOnClosedPipe } from "./closed-pipe.ts";
import type { Command } from "./command.ts";
import { bucketsCommand } from "./commands/buckets.ts";
import { buildCommand } from "./commands/build.ts";
import { describeCommand } from "./commands/describe.ts";
import { devCommand } from "./commands/dev.ts";
import { executionCommand } from "./commands/execution.ts";
import { executionsCommand } from "./commands/executions.ts";
import { failCommand } from "./commands/fail.ts";
import { functionsCommand } from "./commands/functions.ts";
import { healCommand } from "./commands/heal.ts";
import { healthCommand } from "./commands/health.ts";
import { initCommand } from "./commands/init.ts";
import { invokeCommand } from "./commands/invoke.ts";
import { queuesCommand } from "./commands/queues.ts";
import { redriveCommand } from "./commands/redrive.ts";
import { routesCommand } from "./commands/routes.ts";
import { schedulesCommand } from "./commands/schedules.ts";
import { sendCommand } from "./commands/send.ts";
import { synthCommand } from "./commands/synth.ts";
import { tablesCommand } from "./commands/tables.ts";
import { timeCommand } from "./commands/time.ts";
import { traceCommand } from "./commands/trace.ts";
import { tracesCommand } from "./commands/traces.ts";
import { endOfLifeNote } from "./node-support.ts";
import { type Output, processOutput, reportError } from "./output.ts";
import { UsageError } from "./usage-error.ts";

/** A command by name and summary; its module (and what it imports) loads only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

function loaded(command: Command): CommandEntry {
  return { name: command.name, summary: command.summary, load: async () => command };
}

// The AWS-facing commands pull in the AWS SDK clients and the local account: loading them only
// when asked keeps every other command (and `dev`'s start) fast. test/unit/cli-usage.test.ts
// checks these summaries against the modules'.
export const COMMANDS: readonly CommandEntry[] = [
  ...[
    devCommand,
    invokeCommand,
    sendCommand,
    queuesCommand,
    tablesCommand,
    bucketsCommand,
    functionsCommand,
    redriveCommand,
    routesCommand,
    timeCommand,
    schedulesCommand,
    executionsCommand,
    executionCommand,
    tracesCommand,
    traceCommand,
    failCommand,
    healCommand,
    healthCommand,
    initCommand,
    buildCommand,
    synthCommand,
    describeCommand,
  ].map(loaded),
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
