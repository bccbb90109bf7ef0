import { APP_OPTIONS, type Command, appDir } from "../command.ts";
import { withConnection } from "../connect.ts";
import { table } from "../output.ts";

export const queuesCommand: Command = {
  name: "queues",
  summary: "show each queue: visible, in flight, delayed, dead-letter depth, oldest age",
  help: [
    "Usage: sluice queues [options]",
    "",
    "Options:",
    "  --dir DIR  the app's folder",
    "  --json     print as JSON",
  ].join("\n"),
  options: { ...APP_OPTIONS },
  async run(args, output) {
    return withConnection(appDir(args), { needsCode: false }, async (connection) => {
      const stats = await connection.ops.queues();
      if (args.values.json) {
        output.out(JSON.stringify(stats, null, 2));
        return 0;
      }
      output.out(
        table([
          ["QUEUE", "VISIBLE", "IN FLIGHT", "DELAYED", "DLQ", "OLDEST"],
          ...stats.map((s) => [
            s.name + (s.fifo ? " (fifo)" : ""),
            String(s.visible),
            String(s.inFlight),
            String(s.delayed),
            s.deadLetterDepth === undefined ? "-" : String(s.deadLetterDepth),
            s.visible + s.inFlight + s.delayed > 0 ? `${s.oldestAgeSeconds}s` : "-",
          ]),
        ]),
      );
      return 0;
    });
  },
};
