import type { FunctionInfo } from "../../local/lambda/index.ts";
import { APP_OPTIONS, APP_OPTIONS_HELP, type Command } from "../command.ts";
import { printListing } from "../listing.ts";
import { dim, table } from "../output.ts";

export const functionsCommand: Command = {
  name: "functions",
  summary: "show each function: state, last update status, provisioned, warm and busy environments",
  help: [
    "Usage: sluice functions [dir] [options]",
    "",
    "STATE and UPDATE are Lambda's State and LastUpdateStatus, as GetFunction reports them, with",
    "their reasons when Lambda gives one. Without a running `sluice dev`, functions have no",
    "environments and show the state of a fresh start. PROVISIONED is free/asked-for provisioned",
    "environments (their schedule sets the number); WARM counts on-demand environments only.",
    "",
    ...APP_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    return printListing(
      args,
      output,
      (ops) => ops.functions(),
      (functions, connection) => {
        output.out(
          table([
            ["FUNCTION", "STATE", "UPDATE", "PROVISIONED", "WARM", "BUSY"],
            ...functions.map((fn) => [
              fn.functionName,
              fn.state,
              fn.lastUpdateStatus,
              // Free provisioned environments of those asked for; busy ones count under BUSY.
              fn.provisioned === undefined ? "-" : `${fn.provisionedAvailable ?? 0}/${fn.provisioned}`,
              String(fn.warm),
              String(fn.busy),
            ]),
          ]),
        );
        for (const line of reasons(functions)) output.out(line);
        if (connection.mode === "one-shot") {
          output.out(dim(output, "no `sluice dev` is running: these are the states of a fresh start"));
        }
      },
    );
  },
};

/** One line per reason, under the table: reasons are long and would stretch its columns. */
function reasons(functions: readonly FunctionInfo[]): string[] {
  const lines: string[] = [];
  for (const fn of functions) {
    if (fn.stateReason !== undefined && fn.state !== "Pending") {
      lines.push(`${fn.functionName}: ${fn.state} (${fn.stateReasonCode}): ${fn.stateReason}`);
    }
    if (fn.lastUpdateStatus === "Failed" && fn.lastUpdateStatusReason !== undefined) {
      lines.push(
        `${fn.functionName}: update Failed (${fn.lastUpdateStatusReasonCode}): ${fn.lastUpdateStatusReason}`,
      );
    }
  }
  return lines;
}
