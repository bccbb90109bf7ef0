import { readFileSync } from "node:fs";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { withNameHint } from "../name-hints.ts";
import { UsageError } from "../usage-error.ts";

export const invokeCommand: Command = {
  name: "invoke",
  summary: "invoke a function and print its result",
  help: [
    "Usage: sluice invoke <function> [--event JSON|@file|-] [--async] [options]",
    "",
    "Invokes through the running `sluice dev`, or in a one-shot local cloud when none runs.",
    "The result's routing is delivered as it would be on AWS.",
    "",
    "Options:",
    "  --event JSON|@file|-  the event: inline JSON, a file, or standard input (default {})",
    "  --async               invoke asynchronously (InvocationType Event): prints the request id;",
    "                        without a running dev, the event waits for the next `sluice dev`",
    "  --log                 also print the invocation's log lines",
    "  --region R            the region whose copy of the function runs it, in a multi-region app",
    "                        (default: the primary)",
    "  --dir DIR             the app's folder (default: the current folder)",
    "  --json                print the whole response as JSON",
  ].join("\n"),
  positionals: 1,
  options: {
    ...APP_OPTIONS,
    event: { type: "string" },
    async: { type: "boolean" },
    log: { type: "boolean" },
    region: { type: "string" },
  },
  async run(args, output) {
    const name = args.positionals[0];
    if (!name) throw new UsageError("name the function to invoke", "invoke");
    const payload = readEvent(args.values.event as string | undefined);
    const region = args.values.region as string | undefined;
    return withConnection(appDir(args), { needsCode: true, region }, async (connection) => {
      const response = await connection.ops
        .invoke({
          function: name,
          payload,
          async: args.values.async === true,
          tailLog: args.values.log === true,
          ...(region === undefined ? {} : { region }),
        })
        .catch((error: unknown) => withNameHint(error, connection.ops, "function", name));
      if (args.values.json) output.out(JSON.stringify(response, null, 2));
      else if (response.async) output.out(`accepted: request ${response.requestId}`);
      else {
        if (response.logTail) output.err(response.logTail.replace(/\n$/, ""));
        output.out(response.payload);
      }
      return !response.async && response.functionError ? 1 : 0;
    });
  },
};

function readEvent(value: string | undefined): string {
  const text =
    value === undefined
      ? "{}"
      : value === "-"
        ? readFileSync(0, "utf8")
        : value.startsWith("@")
          ? readFileSync(value.slice(1), "utf8")
          : value;
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError(`--event must be JSON; got ${JSON.stringify(text.slice(0, 80))}`, "invoke");
  }
  return text;
}
