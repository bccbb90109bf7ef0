import { APP_OPTIONS, APP_OPTIONS_HELP, type Command } from "../command.ts";
import { devDrills } from "../dev-drills.ts";
import { printFailoverReport } from "../drill-output.ts";

export const healthCommand: Command = {
  name: "health",
  summary: "show a running dev's failover: health checks, what DNS answers, replication, drills",
  help: [
    "Usage: sluice health [options]",
    "",
    "Each Route 53 health check (one local checker each): healthy or not, results in a row (a",
    "check changes status after failureThreshold of them), its last pings with their time (dev's",
    "clock) and status; what DNS answers for the app's domain now; each direction of global",
    "tables' replication (writes waiting, paused or not); the drills in force.",
    "A running `sluice dev` is needed.",
    "",
    ...APP_OPTIONS_HELP,
  ].join("\n"),
  positionals: 0,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    const report = await (await devDrills(args)).report();
    if (args.values.json) output.out(JSON.stringify(report, null, 2));
    else printFailoverReport(output, report);
    return 0;
  },
};
