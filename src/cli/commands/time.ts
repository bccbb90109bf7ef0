import { checkAdvance } from "../../local/operations.ts";
import { parseAdvanceDuration } from "../../model/duration.ts";
import { gotValue, SluiceError } from "../../model/errors.ts";
import { APP_OPTIONS, APP_OPTIONS_HELP, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { UsageError } from "../usage-error.ts";

export const timeCommand: Command = {
  name: "time",
  summary: "show the local cloud's clock, or move a running dev forward (`time advance 90m`)",
  help: [
    "Usage: sluice time [advance DURATION] [options]",
    "",
    "DURATION is a number with a unit: ms, s, m, h or d (e.g. 30s, 90m, 2h), at most 3650d",
    "(10 years) per call.",
    "Advancing fires, in order, everything that falls due: delays, visibility timeouts, retries.",
    "",
    ...APP_OPTIONS_HELP,
  ].join("\n"),
  positionals: 2,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    const [verb, amount] = args.positionals;
    if (verb !== undefined && verb !== "advance")
      throw new UsageError(`unknown time action "${verb}"; use "advance"`, "time");
    const ms = verb === "advance" ? advanceAmount(amount) : undefined;
    return withConnection(appDir(args), { needsCode: false }, async (connection) => {
      if (ms !== undefined && connection.mode !== "dev") {
        throw new UsageError("time advance moves a running `sluice dev`; start one first", "time");
      }
      const { now } = ms === undefined ? await connection.ops.time() : await connection.ops.advanceTime(ms);
      output.out(
        args.values.json
          ? JSON.stringify({ now, iso: new Date(now).toISOString() })
          : new Date(now).toISOString(),
      );
      return 0;
    });
  },
};

/** The duration `time advance` moves the clock, within the one rule Operations enforces too. */
function advanceAmount(text: string | undefined): number {
  try {
    return checkAdvance(parseShortDuration(text));
  } catch (error) {
    if (error instanceof SluiceError) throw new UsageError(error.message, "time");
    throw error;
  }
}

export function parseShortDuration(text: string | undefined): number {
  const ms = parseAdvanceDuration(text);
  if (ms === undefined)
    throw new UsageError(gotValue("give a duration such as 30s, 90m or 2h", text ?? ""), "time");
  return ms;
}
