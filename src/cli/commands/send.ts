import { readFileSync } from "node:fs";
import { gotValue } from "../../model/errors.ts";
import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { withFifoHint, withNameHint } from "../name-hints.ts";
import { UsageError } from "../usage-error.ts";

export const sendCommand: Command = {
  name: "send",
  summary: "send a message to a queue",
  help: [
    "Usage: sluice send <queue> [body|-] [options]",
    "",
    "Options:",
    "  --group ID      MessageGroupId (FIFO queues)",
    "  --dedup ID      MessageDeduplicationId (FIFO queues)",
    "  --delay SECONDS DelaySeconds, 0-900 (standard queues)",
    "  --attr K=V      a String message attribute; repeat for more",
    "  --region R      the region whose queue takes it, in a multi-region app (default: the primary)",
    "  --dir DIR       the app's folder (default: the current folder)",
    "  --json          print the result as JSON",
  ].join("\n"),
  positionals: 2,
  options: {
    ...APP_OPTIONS,
    group: { type: "string" },
    dedup: { type: "string" },
    delay: { type: "string" },
    attr: { type: "string", multiple: true },
    region: { type: "string" },
  },
  async run(args, output) {
    const [queue, bodyArg] = args.positionals;
    if (!queue) throw new UsageError("name the queue to send to", "send");
    const body = bodyArg === undefined || bodyArg === "-" ? readFileSync(0, "utf8") : bodyArg;
    const attributes = Object.fromEntries(((args.values.attr as string[] | undefined) ?? []).map(parseAttr));
    const delay = args.values.delay === undefined ? undefined : Number(args.values.delay);
    if (delay !== undefined && !Number.isInteger(delay))
      throw new UsageError(gotValue("--delay takes whole seconds", args.values.delay), "send");
    const region = args.values.region as string | undefined;
    return withConnection(appDir(args), { needsCode: false, region }, async (connection) => {
      const result = await connection.ops
        .send({
          queue,
          body,
          ...(typeof args.values.group === "string" ? { messageGroupId: args.values.group } : {}),
          ...(typeof args.values.dedup === "string" ? { messageDeduplicationId: args.values.dedup } : {}),
          ...(delay !== undefined ? { delaySeconds: delay } : {}),
          ...(Object.keys(attributes).length ? { messageAttributes: attributes } : {}),
          ...(region === undefined ? {} : { region }),
        })
        .catch((error: unknown) => withNameHint(error, connection.ops, "queue", queue))
        .catch((error: unknown) => withFifoHint(error, queue));
      output.out(args.values.json ? JSON.stringify(result, null, 2) : `sent ${result.messageId}`);
      return 0;
    });
  },
};

function parseAttr(text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(gotValue("--attr takes NAME=VALUE", text), "send");
  return [text.slice(0, eq), text.slice(eq + 1)];
}
