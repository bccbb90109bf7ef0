import type { TableSummary } from "../../local/dynamodb/index.ts";
import { APP_OPTIONS, APP_OPTIONS_HELP, type Command } from "../command.ts";
import { printListing } from "../listing.ts";
import { dim, type Output, table } from "../output.ts";

export const tablesCommand: Command = {
  name: "tables",
  summary: "show each DynamoDB table: items, size, stream and TTL",
  help: [
    "Usage: sluice tables [dir] [options]",
    "",
    "Tables of the definition and those made through the API (marked `(api)`). ITEMS and SIZE are",
    "exact counts, where AWS updates DescribeTable's ItemCount and TableSizeBytes about every six",
    "hours. SIZE is DynamoDB's measure of the items (attribute names and values).",
    "",
    ...APP_OPTIONS_HELP,
    "  --region R  the region to show, in a multi-region app (default: the primary)",
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS, region: { type: "string" } },
  async run(args, output) {
    const region = args.values.region as string | undefined;
    return printListing(
      args,
      output,
      (ops) => ops.tables(region),
      (tables) => {
        for (const line of formatTables(output, tables)) output.out(line);
      },
      region,
    );
  },
};

/** The tables as a table, one row per DynamoDB table. */
function formatTables(output: Output, tables: readonly TableSummary[]): string[] {
  if (tables.length === 0) return [dim(output, "no tables")];
  return [
    table([
      ["TABLE", "ITEMS", "SIZE", "STREAM", "TTL"],
      ...tables.map((t) => [
        t.tableName + (t.defined ? "" : " (api)"),
        String(t.itemCount),
        size(t.sizeBytes),
        t.stream?.viewType ?? "-",
        t.ttlAttribute ?? "-",
      ]),
    ]),
  ];
}

/** Bytes in the units DynamoDB's console uses (1 KB = 1,024 bytes). */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
