import { randomBytes } from "node:crypto";
import {
  type AppDeployResult,
  deployApp,
  deployRegion,
  type GlobalPartResult,
  HEALTH_CHECKER_ID_ENV,
  hasGlobalParts,
  type RegionDeployResult,
  ROUTE53_SAFE_SECRET,
  STRATEGIES,
  type Strategy,
} from "../../aws/deploy/index.ts";
import { buildApp } from "../../bundle/build-app.ts";
import { gotValue } from "../../model/errors.ts";
import { route53HealthFunction } from "../../model/failover.ts";
import { awsErrorMessage } from "../aws-errors.ts";
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
import { failureLines, fleetLines, outputLines, progressRenderer } from "../deploy-output.ts";
import type { Output } from "../output.ts";
import { inEachRegion, type RegionError } from "../region-runs.ts";
import { UsageError } from "../usage-error.ts";

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
    "A multi-region app (regions, domain, global tables) deploys in phases, each only after the",
    "one before succeeded: its global tables (primary region), every region's stack in parallel,",
    "then the global stack in us-east-1 (Route 53 health checks, records, alarms). With --region",
    "naming only some of its regions, only those regional stacks deploy.",
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
    if (
      healthCheckerId !== undefined &&
      route53HealthFunction(app.spec) !== undefined &&
      !ROUTE53_SAFE_SECRET.test(healthCheckerId)
    ) {
      // Not the value: it is a secret.
      throw new UsageError(
        "--health-checker-id goes into the URL of each Route 53 health check (?healthCheckerId=...); use letters, digits, -, ., _ and ~ only",
        "deploy",
      );
    }
    if (strategy === "switchover" && hasGlobalParts(app.spec)) {
      // A new generation renames every physical name, global tables' included, which the
      // global table stack (one per stage) does not follow.
      throw new UsageError(
        "--strategy switchover does not support an app with global tables or a domain; deploy in place",
        "deploy",
      );
    }
    const build = await buildApp(app);
    const onEvent = progressRenderer(output, {
      live: !json && regions.length === 1 && Boolean(process.stdout.isTTY),
      prefixRegion: regions.length > 1,
      quiet: json,
    });
    const confirm = confirmer(output, args.values.yes === true, interactive());
    const deployRegions = (chosen: readonly string[]) =>
      inEachRegion(chosen, (region) =>
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
    const deployed = await deployApp({
      app,
      stage,
      regions,
      ...(endpointUrl ? { endpointUrl } : {}),
      polling: cliPolling(),
      onEvent,
      confirm,
      ...(healthCheckerId ? { healthCheckerId } : {}),
      deployRegions,
    });
    const results = deployed.regions.map((r) =>
      "error" in r
        ? { region: r.region, error: typeof r.error === "string" ? r.error : awsErrorMessage(r.error) }
        : r,
    );
    const parts = globalResults(deployed);
    if (json) {
      const regional = results.map(jsonResult);
      output.out(
        JSON.stringify(
          parts.length === 0 && deployed.stoppedAt === undefined
            ? regional
            : {
                regions: regional,
                global: parts,
                ...(deployed.stoppedAt ? { stoppedAt: deployed.stoppedAt } : {}),
              },
          null,
          2,
        ),
      );
    } else {
      for (const result of results) printResult(output, result);
      for (const part of parts) printPart(output, part);
      if (deployed.stoppedAt) output.err(`deploy stopped after the ${deployed.stoppedAt} phase failed`);
    }
    return deployed.stoppedAt !== undefined ||
      results.some((r) => "error" in r || r.outcome === "failed") ||
      parts.some((p) => "error" in p || p.outcome === "failed")
      ? 1
      : 0;
  },
};

type PartReport =
  | { readonly part: string; readonly region: string; readonly error: string }
  | GlobalPartResult;

/** The global table and global stacks' results, in deploy order, errors as one line. */
function globalResults(deployed: AppDeployResult): PartReport[] {
  return [deployed.globalTables, deployed.global].flatMap((part): PartReport[] => {
    if (part === undefined) return [];
    if ("error" in part)
      return [{ part: part.part, region: part.region, error: awsErrorMessage(part.error) }];
    return [part];
  });
}

function printPart(output: Output, part: PartReport): void {
  if ("error" in part) {
    output.err(`${part.part} (${part.region}): error: ${part.error}`);
    return;
  }
  const where = `${part.stackName} (${part.region})`;
  if (part.outcome === "failed") {
    output.err(
      `${where}: deploy failed; the stack is now ${part.finalStatus}${part.statusReason ? ` (${part.statusReason})` : ""}`,
    );
    output.err(failureLines(part.failures).join("\n"));
    return;
  }
  output.out(
    part.outcome === "no-changes" ? `${where}: no changes` : `${where}: deployed (${part.finalStatus})`,
  );
  const lines = outputLines(part.outputs);
  if (lines.length > 0) output.out(`outputs:\n${lines.join("\n")}`);
}

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
    fleets: result.fleets ?? [],
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
  const fleets = fleetLines(result.fleets ?? []);
  if (fleets.length > 0) output.out(`servers:\n${fleets.join("\n")}`);
}
