import { randomBytes } from "node:crypto";
import { buildApp } from "../../bundle/build-app.ts";
import {
  HEALTH_CHECKER_ID_ENV,
  type RegionDeployResult,
  STRATEGIES,
  type Strategy,
  deployRegion,
} from "../../aws/deploy/index.ts";
import {
  AWS_OPTIONS,
  AWS_OPTIONS_HELP,
  appAndRegions,
  cliPolling,
  confirmer,
  interactive,
  stageTarget,
} from "../aws-options.ts";
import type { Command } from "../command.ts";
import { failureLines, outputLines, progressRenderer } from "../deploy-output.ts";
import type { Output } from "../output.ts";
import { type RegionError, inEachRegion } from "../region-runs.ts";
import { UsageError } from "../usage-error.ts";
import { gotValue } from "../../model/errors.ts";

export const deployCommand: Command = {
  name: "deploy",
  summary: "build, synthesise and deploy the app with a CloudFormation change set",
  help: [
    "Usage: sluice deploy [dir] [options]",
    "",
    "Builds the functions (as `sluice build`), synthesises the template for the stage, uploads",
    "changed zips to the bootstrap bucket, creates a change set and shows it: resources added,",
    "modified (with the properties that change), replaced and removed. Replacing or removing a",
    "queue, table, bucket or log group asks first (and says how many messages wait) unless --yes;",
    "without a terminal it refuses unless --yes. Then executes it, shows the stack events, and",
    "waits until every function is Active with LastUpdateStatus Successful. Regions deploy in",
    "parallel; the exit code is 1 if any failed. Nothing to change: says so, exit 0.",
    "A stack left in ROLLBACK_COMPLETE by a first deploy that failed holds nothing and cannot be",
    "updated: deploy offers to delete it and go on (asks on a terminal; --yes deletes it; without",
    "either it refuses and prints the command that deletes it).",
    "",
    "Options:",
    "  --yes               go ahead with changes that delete data, or delete a stack in",
    "                      ROLLBACK_COMPLETE first, without asking",
    "  --strategy S        in-place (default): update the stage's stack; switchover: deploy a new",
    "                      stack beside it, run the hook, move waiting messages, delete the old one",
    "  --hook FILE         switchover hook module (default: sluice.switchover.ts in the app, if any)",
    `  --health-checker-id ID  secret health checkers send (or $${HEALTH_CHECKER_ID_ENV});`,
    "                      default: random on the first deploy, kept after",
    ...AWS_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: {
    ...AWS_OPTIONS,
    strategy: { type: "string" },
    hook: { type: "string" },
    "health-checker-id": { type: "string" },
  },
  async run(args, rawOutput) {
    const { stage, endpointUrl, secrets, output } = stageTarget(args, rawOutput, "deploy");
    const strategy = (args.values.strategy as string | undefined) ?? "in-place";
    if (!(STRATEGIES as readonly string[]).includes(strategy)) {
      throw new UsageError(gotValue(`--strategy takes ${STRATEGIES.join(" or ")}`, strategy), "deploy");
    }
    const healthCheckerId =
      (args.values["health-checker-id"] as string | undefined) ?? process.env[HEALTH_CHECKER_ID_ENV];
    if (healthCheckerId) secrets.add(healthCheckerId);
    const json = args.values.json === true;
    const { app, regions } = await appAndRegions(args, args.positionals[0], "deploy");
    const build = await buildApp(app);
    const onEvent = progressRenderer(output, {
      live: !json && regions.length === 1 && Boolean(process.stdout.isTTY),
      prefixRegion: regions.length > 1,
      quiet: json,
    });
    const confirm = confirmer(output, args.values.yes === true, interactive());
    const results = await inEachRegion(regions, (region) =>
      deployRegion({
        app,
        build,
        stage,
        region,
        ...(endpointUrl ? { endpointUrl } : {}),
        strategy: strategy as Strategy,
        ...(typeof args.values.hook === "string" ? { hook: args.values.hook } : {}),
        ...(healthCheckerId ? { healthCheckerId } : {}),
        generateSecret: () => {
          const secret = randomSecret();
          secrets.add(secret);
          return secret;
        },
        polling: cliPolling(),
        onEvent,
        confirm,
      }),
    );
    if (json) {
      output.out(JSON.stringify(results.map(jsonResult), null, 2));
    } else {
      for (const result of results) printResult(output, result);
    }
    return results.some((r) => "error" in r || r.outcome === "failed") ? 1 : 0;
  },
};

function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

function jsonResult(result: RegionDeployResult | RegionError) {
  if ("error" in result) return result;
  return {
    region: result.region,
    stackName: result.stackName,
    generation: result.generation,
    strategy: result.strategy,
    outcome: result.outcome,
    changeSetType: result.changeSetType,
    finalStatus: result.finalStatus,
    statusReason: result.statusReason,
    changes: result.summary,
    failures: result.failures,
    artifacts: result.artifacts,
    functions: result.functions,
    outputs: result.outputs,
    switchover: result.switchover,
  };
}

function printResult(output: Output, result: RegionDeployResult | RegionError): void {
  if ("error" in result) {
    output.err(`${result.region}: error: ${result.error}`);
    return;
  }
  const where = `${result.stackName} (${result.region})`;
  if (result.outcome === "failed") {
    output.err(
      `${where}: deploy failed; the stack is now ${result.finalStatus}${result.statusReason ? ` (${result.statusReason})` : ""}`,
    );
    output.err(failureLines(result.failures).join("\n"));
    return;
  }
  if (result.switchover) {
    for (const name of result.switchover.oldStacks) output.out(`${where}: switched over from ${name}`);
    for (const q of result.switchover.moved) output.out(`  ${q.logicalId}: ${q.moved} message(s) moved`);
    for (const d of result.switchover.deleted) output.out(`  ${d.stackName}: ${d.status}`);
  }
  output.out(
    result.outcome === "no-changes" ? `${where}: no changes` : `${where}: deployed (${result.finalStatus})`,
  );
  const lines = outputLines(result.outputs);
  if (lines.length > 0) output.out(`outputs:\n${lines.join("\n")}`);
}
