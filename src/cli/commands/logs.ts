import {
  createClients,
  isMissingLogGroup,
  LogReader,
  parseSince,
  stagedSpec,
  stageStacks,
} from "../../aws/deploy/index.ts";
import { logGroupName } from "../../model/naming.ts";
import { appAndRegions, cliPolling, STAGE_OPTIONS, stageTarget } from "../aws-options.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../usage-error.ts";

export const logsCommand: Command = {
  name: "logs",
  summary: "show a deployed function's CloudWatch Logs",
  help: [
    "Usage: sluice logs <function> [dir] [options]",
    "",
    "Prints the log events of the function (its name in the definition) in the stage, from the",
    "log group /aws/lambda/<physical name>, each event once.",
    "",
    "Options:",
    "  --since D           how far back: a number and s, m, h or d (default 10m)",
    "  --follow            keep printing new events until Ctrl-C",
    "  --stage NAME        the stage (default: dev)",
    "  --region R          the Region (default: the definition's region)",
    "  --endpoint-url URL  send every AWS call to URL (e.g. a `sluice cloud` endpoint)",
    "  --dir DIR           the app's folder (default: the current folder)",
    "  --json              one JSON object per event",
  ].join("\n"),
  positionals: 2,
  options: {
    ...STAGE_OPTIONS,
    since: { type: "string" },
    follow: { type: "boolean" },
  },
  async run(args, rawOutput) {
    const [name, dirArg] = args.positionals;
    if (name === undefined) throw new UsageError("name the function whose logs to show", "logs");
    const { stage, endpointUrl, output } = stageTarget(args, rawOutput, "logs");
    let sinceMs: number;
    try {
      sinceMs = parseSince((args.values.since as string | undefined) ?? "10m");
    } catch (error) {
      throw new UsageError((error as Error).message, "logs");
    }
    const { app, regions } = await appAndRegions(args, dirArg, "logs");
    if (regions.length > 1) {
      // An app with `regions` acts in all of them by default (appAndRegions); logs needs one.
      throw new UsageError(
        `logs reads one region at a time: pass --region with one of ${regions.join(", ")}`,
        "logs",
      );
    }
    const region = regions[0] as string;
    if (app.spec.functions[name] === undefined) {
      throw new UsageError(
        `no function "${name}" in ${app.spec.name}; functions: ${Object.keys(app.spec.functions).join(", ")}`,
        "logs",
      );
    }
    const clients = createClients({ region, ...(endpointUrl ? { endpointUrl } : {}) });
    try {
      const live = (await stageStacks(clients.cloudFormation, app.spec.name, stage)).at(-1);
      const spec = stagedSpec(app, {
        stage,
        generation: live?.generation ?? 1,
        region,
        accountId: "000000000000",
      });
      const fn = spec.functions[name];
      if (fn === undefined) return 1;
      const group = logGroupName(fn);
      const reader = new LogReader(clients.logs, group, Date.now() - sinceMs);
      const poll = cliPolling();
      let stopped = false;
      const stop = () => {
        stopped = true;
      };
      process.once("SIGINT", stop);
      try {
        do {
          let events: Awaited<ReturnType<LogReader["next"]>>;
          try {
            events = await reader.next();
          } catch (error) {
            if (!isMissingLogGroup(error)) throw error;
            if (!args.values.follow) {
              output.err(
                `no log group ${group} in ${region}: the function has not logged yet, or stage "${stage}" is not deployed`,
              );
              return 1;
            }
            events = [];
          }
          for (const e of events) {
            if (args.values.json) output.out(JSON.stringify(e));
            else output.out(`${new Date(e.timestamp).toISOString()}  ${e.message.replace(/\n$/, "")}`);
          }
          if (args.values.follow && !stopped) await poll.sleep(poll.intervalMs);
        } while (args.values.follow && !stopped);
      } finally {
        process.off("SIGINT", stop);
      }
      return 0;
    } finally {
      clients.destroy();
    }
  },
};
