import { parseArgs } from "node:util";
import type { Command } from "./command.ts";
import { buildCommand } from "./commands/build.ts";
import { describeCommand } from "./commands/describe.ts";
import { devCommand } from "./commands/dev.ts";
import { functionsCommand } from "./commands/functions.ts";
import { initCommand } from "./commands/init.ts";
import { invokeCommand } from "./commands/invoke.ts";
import { queuesCommand } from "./commands/queues.ts";
import { redriveCommand } from "./commands/redrive.ts";
import { routesCommand } from "./commands/routes.ts";
import { sendCommand } from "./commands/send.ts";
import { synthCommand } from "./commands/synth.ts";
import { timeCommand } from "./commands/time.ts";
import { schedulesCommand } from "./commands/schedules.ts";
import { type Output, processOutput, reportError } from "./output.ts";
import { UsageError } from "./usage-error.ts";

const COMMANDS: readonly Command[] = [
  devCommand,
  invokeCommand,
  sendCommand,
  queuesCommand,
  functionsCommand,
  redriveCommand,
  routesCommand,
  timeCommand,
  schedulesCommand,
  initCommand,
  buildCommand,
  synthCommand,
  describeCommand,
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

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    output.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    output.out("0.1.0");
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    output.err(`unknown command "${name}"\n\n${mainHelp()}`);
    return 2;
  }
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
