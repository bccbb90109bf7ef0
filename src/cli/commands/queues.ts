import { APP_OPTIONS, APP_OPTIONS_HELP, type Command } from "../command.ts";
import { printListing } from "../listing.ts";
import { table } from "../output.ts";

export const queuesCommand: Command = {
  name: "queues",
  summary: "show each queue: visible, in flight, delayed, dead-letter depth, oldest age",
  help: ["Usage: sluice queues [dir] [options]", "", ...APP_OPTIONS_HELP].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    return printListing(
      args,
      output,
      (ops) => ops.queues(),
      (stats) =>
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
        ),
    );
  },
};
