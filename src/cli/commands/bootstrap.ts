import { bootstrapRegion } from "../../aws/deploy/index.ts";
import {
  AWS_OPTIONS_HELP,
  cliPolling,
  confirmer,
  endpointOption,
  environmentSecrets,
  redactingOutput,
  regionsOption,
} from "../aws-options.ts";
import type { Command } from "../command.ts";
import { failureLines, outputLines, progressRenderer } from "../deploy-output.ts";
import { withRegionClients } from "../region-runs.ts";
import { UsageError } from "../usage-error.ts";

export const bootstrapCommand: Command = {
  name: "bootstrap",
  summary: "create the artifact bucket deploy uploads to (once per account and region)",
  help: [
    "Usage: sluice bootstrap --region R[,R2...] [options]",
    "",
    "Deploys the stack sluice-bootstrap: an S3 bucket for function zips and large templates,",
    "encrypted (SSE-S3), with every public access block on, uploads expiring after 90 days and",
    "incomplete multipart uploads aborted after 1 day. Running it again changes nothing.",
    "",
    "Options:",
    "  --region R[,R2...]  Region(s) to bootstrap (required)",
    "  --endpoint-url URL  send every AWS call to URL (e.g. a `sluice cloud` endpoint)",
    "  --json              print the result as JSON",
    AWS_OPTIONS_HELP.at(-1) ?? "",
  ].join("\n"),
  positionals: 0,
  options: { region: { type: "string" }, "endpoint-url": { type: "string" }, json: { type: "boolean" } },
  async run(args, rawOutput) {
    if (args.values.region === undefined) throw new UsageError("--region is required", "bootstrap");
    const regions = regionsOption(args, "", "bootstrap");
    const endpointUrl = endpointOption(args, "bootstrap");
    const output = redactingOutput(rawOutput, new Set(environmentSecrets()));
    const json = args.values.json === true;
    const onEvent = progressRenderer(output, { live: false, prefixRegion: regions.length > 1, quiet: json });
    const results = await withRegionClients(regions, endpointUrl, async (clients, region) => {
      const result = await bootstrapRegion({
        clients,
        polling: cliPolling(),
        onEvent,
        confirm: confirmer(output, false),
      });
      return { region, ...result };
    });
    if (json) output.out(JSON.stringify(results, null, 2));
    let failed = false;
    for (const result of results) {
      if ("error" in result) {
        failed = true;
        if (!json) output.err(`${result.region}: error: ${result.error}`);
        continue;
      }
      if (result.outcome === "failed") failed = true;
      if (json) continue;
      const verb =
        result.outcome === "no-changes"
          ? "already bootstrapped"
          : result.outcome === "deployed"
            ? "bootstrapped"
            : `failed (${result.finalStatus})`;
      output.out(`${result.region}: ${verb}`);
      if (result.outcome === "failed") output.err(failureLines(result.failures).join("\n"));
      else output.out(outputLines(result.outputs).join("\n"));
    }
    return failed ? 1 : 0;
  },
};
