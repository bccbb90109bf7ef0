/**
 * What the listing commands (`queues`, `functions`, `schedules`) share: read from the app's local
 * cloud (a running `dev`, else the app's state), then print JSON with --json or the command's view.
 */
import type { Operations } from "../local/operations.ts";
import { appDir, type ParsedArgs } from "./command.ts";
import { type AppConnection, withConnection } from "./connect.ts";
import type { Output } from "./output.ts";

export function printListing<T>(
  args: ParsedArgs,
  output: Output,
  read: (ops: Operations) => Promise<T>,
  show: (items: T, connection: AppConnection) => void,
  /** The region of a multi-region app to read (`--region`). @default the primary */
  region?: string,
): Promise<number> {
  // The app's folder is `--dir DIR` or the one positional these commands take: `sluice queues app/`.
  return withConnection(
    appDir(args, args.positionals[0]),
    { needsCode: false, region },
    async (connection) => {
      const items = await read(connection.ops);
      if (args.values.json) output.out(JSON.stringify(items, null, 2));
      else show(items, connection);
      return 0;
    },
  );
}
