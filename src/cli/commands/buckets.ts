import type { BucketSummary } from "../../local/operations.ts";
import { APP_OPTIONS, APP_OPTIONS_HELP, type Command } from "../command.ts";
import { printListing } from "../listing.ts";
import { dim, type Output, table } from "../output.ts";

export const bucketsCommand: Command = {
  name: "buckets",
  summary: "show each S3 bucket: objects and its local website URL",
  help: [
    "Usage: sluice buckets [dir] [options]",
    "",
    "Buckets of the definition (by their name there) and those made through the API (marked",
    "`(api)`), with exact object counts. WEBSITE is the local URL a running `sluice dev` serves a",
    "website bucket on.",
    "",
    ...APP_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    return printListing(
      args,
      output,
      (ops) => ops.buckets(),
      (buckets) => {
        for (const line of formatBuckets(output, buckets)) output.out(line);
      },
    );
  },
};

/** One row per bucket. */
function formatBuckets(output: Output, buckets: readonly BucketSummary[]): string[] {
  if (buckets.length === 0) return [dim(output, "no buckets")];
  return [
    table([
      ["BUCKET", "NAME", "OBJECTS", "WEBSITE"],
      ...buckets.map((b) => [b.bucketName, b.name ?? "(api)", String(b.objects), b.websiteUrl ?? "-"]),
    ]),
  ];
}
