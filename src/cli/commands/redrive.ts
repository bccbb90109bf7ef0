import { APP_OPTIONS, appDir, type Command } from "../command.ts";
import { withConnection } from "../connect.ts";
import { withNameHint } from "../name-hints.ts";
import { UsageError } from "../usage-error.ts";

export const redriveCommand: Command = {
  name: "redrive",
  summary: "move messages from a dead-letter queue back to their source (or --to a queue)",
  help: [
    "Usage: sluice redrive <dead-letter-queue> [--to QUEUE] [options]",
    "",
    "Options:",
    "  --to QUEUE  move to this queue instead of each message's source queue",
    "  --dir DIR   the app's folder",
    "  --json      print the result as JSON",
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS, to: { type: "string" } },
  async run(args, output) {
    const queue = args.positionals[0];
    if (!queue) throw new UsageError("name the dead-letter queue to redrive", "redrive");
    return withConnection(appDir(args), { needsCode: false }, async (connection) => {
      const to = args.values.to as string | undefined;
      const result = await connection.ops
        .redrive(queue, to)
        .catch((error: unknown) => withNameHint(error, connection.ops, "queue", queue, to));
      output.out(
        args.values.json
          ? JSON.stringify(result)
          : `moved ${result.moved} message${result.moved === 1 ? "" : "s"}`,
      );
      return 0;
    });
  },
};
