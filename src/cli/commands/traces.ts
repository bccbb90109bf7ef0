import { TRACE_LIST_DEFAULT_LIMIT, TRACE_LIST_MAX_LIMIT, type TraceQuery } from "../../local/traces/index.ts";
import { parseAdvanceDuration } from "../../model/duration.ts";
import { gotValue } from "../../model/errors.ts";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { UsageError } from "../usage-error.ts";
import { formatTraces } from "./trace-format.ts";

export const tracesCommand: Command = {
  name: "traces",
  summary: "list recent traces, newest first: start, duration, hops, outcome, resources",
  help: [
    "Usage: sluice traces [dir] [options]",
    "",
    "The traces the local cloud recorded (a request, message, event or invocation and every hop",
    "it caused), newest first: the trace id, when it started (UTC, on the local cloud's clock), how",
    "long it took, its hops, its outcome (error when any hop failed or went to a dead-letter queue),",
    "what started it and the resources it touched. `sluice trace <id>` shows one as a timeline.",
    "",
    "Options:",
    "  --failed          only traces with a failed hop",
    "  --resource REF    only traces touching REF (function:publish, queue:pages, or a bare name)",
    "  --since DURATION  only traces started within DURATION of now on the clock (30s, 90m, 2h, 1d)",
    `  --limit N         at most N traces (1 to ${TRACE_LIST_MAX_LIMIT}; default ${TRACE_LIST_DEFAULT_LIMIT})`,
    "  --dir DIR         the app's folder",
    "  --json            print as JSON",
  ].join("\n"),
  positionals: 1,
  options: {
    ...APP_OPTIONS,
    failed: { type: "boolean" },
    resource: { type: "string" },
    since: { type: "string" },
    limit: { type: "string" },
  },
  async run(args, output) {
    const resource = args.values.resource as string | undefined;
    if (resource !== undefined && (resource === "" || resource.length > 256))
      throw new UsageError(
        gotValue("--resource takes a resource such as function:publish", resource),
        "traces",
      );
    const since = args.values.since as string | undefined;
    const sinceMs = since === undefined ? undefined : parseAdvanceDuration(since);
    if (since !== undefined && sinceMs === undefined)
      throw new UsageError(gotValue("--since takes a duration such as 30s, 90m or 2h", since), "traces");
    const limit = limitOf(args.values.limit as string | undefined);
    return withConnection(appDir(args, args.positionals[0]), { needsCode: false }, async ({ ops }) => {
      const now = sinceMs === undefined ? 0 : (await ops.time()).now;
      const query: TraceQuery = {
        ...(args.values.failed ? { failed: true } : {}),
        ...(resource === undefined ? {} : { resource }),
        ...(sinceMs === undefined ? {} : { sinceMs: Math.max(0, Math.floor(now - sinceMs)) }),
        ...(limit === undefined ? {} : { limit }),
      };
      const traces = await ops.traces(query);
      if (args.values.json) output.out(JSON.stringify(traces, null, 2));
      else for (const line of formatTraces(output, traces)) output.out(line);
      return 0;
    });
  },
};

function limitOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > TRACE_LIST_MAX_LIMIT)
    throw new UsageError(
      gotValue(`--limit takes a whole number from 1 to ${TRACE_LIST_MAX_LIMIT}`, text),
      "traces",
    );
  return n;
}
