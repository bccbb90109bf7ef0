import type { ScheduleInfo } from "../../local/scheduler/index.ts";
import { gotValue } from "../../model/errors.ts";
import { APP_OPTIONS, type Command } from "../command.ts";
import { printListing } from "../listing.ts";
import { dim, type Output, table } from "../output.ts";
import { UsageError } from "../usage-error.ts";

export const schedulesCommand: Command = {
  name: "schedules",
  summary: "list the app's schedules with their next fire times",
  help: [
    "Usage: sluice schedules [dir] [options]",
    "",
    "Times are UTC, from the local cloud's clock (moved by `sluice time advance`). A schedule's",
    "expression is read in its time zone. A time before now is due and fires when `dev` runs.",
    "",
    "Options:",
    "  --count N  how many next fire times to show per schedule (default 3, at most 100)",
    "  --dir DIR  the app's folder",
    "  --json     print as JSON",
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS, count: { type: "string" } },
  async run(args, output) {
    const count = args.values.count === undefined ? 3 : Number(args.values.count);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw new UsageError(
        gotValue("--count takes a whole number from 1 to 100", args.values.count),
        "schedules",
      );
    }
    return printListing(
      args,
      output,
      (ops) => ops.schedules(count),
      (schedules) => {
        for (const line of formatSchedules(output, schedules)) output.out(line);
      },
    );
  },
};

/** The schedules as a table, one row per schedule. */
function formatSchedules(output: Output, schedules: readonly ScheduleInfo[]): string[] {
  if (schedules.length === 0) return [dim(output, "no schedules")];
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  return [
    table([
      ["SCHEDULE", "EXPRESSION", "ZONE", "TARGET", "NEXT"],
      ...schedules.map((s) => [
        s.name,
        s.expression,
        s.timezone,
        s.target,
        s.enabled ? (s.next.length === 0 ? "(finished)" : s.next.map(iso).join(", ")) : "(disabled)",
      ]),
    ]),
  ];
}
