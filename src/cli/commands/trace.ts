import { TRACE_ID } from "../../local/control/index.ts";
import { SluiceError } from "../../model/errors.ts";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { UsageError } from "../usage-error.ts";
import { formatTimeline } from "./trace-format.ts";

export const traceCommand: Command = {
  name: "trace",
  summary: "show one trace as a timeline: every hop in order, with payloads and logs",
  help: [
    "Usage: sluice trace <id> [dir] [options]",
    "",
    "The trace's hops in time order: the time since the trace started, `source → target`",
    "indented under the hop that caused it, the kind of hop (request, invoke, send, put, match,",
    "schedule, dead-letter, destination, drop), its outcome, the attempt, its duration and detail",
    "(an error, the dead-letter queue or destination it went to). Under each hop its payload on",
    "one line, and under each invocation its log lines. `sluice traces` lists the trace ids.",
    "",
    "Options:",
    "  --payloads  show each payload whole",
    "  --dir DIR   the app's folder",
    "  --json      print the trace as recorded (times in epoch milliseconds on the clock)",
  ].join("\n"),
  positionals: 2,
  options: { ...APP_OPTIONS, payloads: { type: "boolean" } },
  async run(args, output) {
    const [id, dir] = args.positionals;
    if (id === undefined) throw new UsageError("give the trace's id (sluice traces lists them)", "trace");
    // A malformed id is an unknown one: exit 1, as for an id the store does not have.
    if (!TRACE_ID.test.test(id)) {
      throw new SluiceError(
        "SLUICE_TRACE_NOT_FOUND",
        `${JSON.stringify(id.slice(0, 60))} is not a trace id (${TRACE_ID.looksLike}); sluice traces lists them`,
      );
    }
    return withConnection(appDir(args, dir), { needsCode: false }, async ({ ops }) => {
      const timeline = await ops.trace(id);
      if (args.values.json) output.out(JSON.stringify(timeline, null, 2));
      else {
        const lines = formatTimeline(output, timeline, { payloads: Boolean(args.values.payloads) });
        for (const line of lines) output.out(line);
      }
      return 0;
    });
  },
};
