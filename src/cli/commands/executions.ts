import type { ExecutionListing } from "../../local/execution-operations.ts";
import { EXECUTION_STATUSES } from "../../local/execution-operations.ts";
import type { ExecutionStatus } from "../../local/stepfunctions/index.ts";
import { gotValue } from "../../model/errors.ts";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { dim, type Output, table } from "../output.ts";
import { UsageError } from "../usage-error.ts";
import { duration, statusText } from "./execution-format.ts";

export const executionsCommand: Command = {
  name: "executions",
  summary: "list Step Functions executions, newest first: status, start, duration",
  help: [
    "Usage: sluice executions [machine] [options]",
    "",
    "The executions of one state machine (its name in the definition, its physical name or its",
    "ARN), or of every machine, newest first. Times are UTC on the local cloud's clock. AWS keeps",
    "no list of an Express machine's executions (ListExecutions refuses it), so they are left out.",
    "`sluice execution <arn>` shows one execution's history.",
    "",
    "Options:",
    `  --status S  only executions in status S (${EXECUTION_STATUSES.join(", ")})`,
    "  --dir DIR   the app's folder",
    "  --json      print as JSON",
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS, status: { type: "string" } },
  async run(args, output) {
    const status = args.values.status as string | undefined;
    if (status !== undefined && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(gotValue(`--status takes ${EXECUTION_STATUSES.join(", ")}`, status), "executions");
    }
    const machine = args.positionals[0];
    return withConnection(appDir(args), { needsCode: false }, async ({ ops }) => {
      const executions = await ops.executions({
        ...(machine === undefined ? {} : { machine }),
        ...(status === undefined ? {} : { status: status as ExecutionStatus }),
      });
      if (args.values.json) output.out(JSON.stringify(executions, null, 2));
      else for (const line of formatExecutions(output, executions)) output.out(line);
      return 0;
    });
  },
};

/** One row per execution: machine, name, status, start and duration (so far, while running). */
function formatExecutions(output: Output, executions: readonly ExecutionListing[]): string[] {
  if (executions.length === 0) return [dim(output, "no executions")];
  return [
    table([
      ["STATE MACHINE", "EXECUTION", "STATUS", "STARTED", "DURATION"],
      ...executions.map((e) => [
        e.stateMachine,
        e.name,
        statusText(output, e.status),
        new Date(e.startDate).toISOString(),
        e.stopDate === undefined ? "-" : duration(e.stopDate - e.startDate),
      ]),
    ]),
  ];
}
