import {
  type DeployListener,
  type DeployPhase,
  destroyStacks,
  type GlobalPart,
  hasGlobalParts,
  planDestroy,
} from "../../aws/deploy/index.ts";
import { GLOBAL_STACK_REGION } from "../../aws/synth-global.ts";
import { appRegions } from "../../model/failover.ts";
import {
  AWS_OPTIONS,
  AWS_OPTIONS_HELP,
  appAndRegions,
  atStakeLines,
  cliPolling,
  confirmer,
  interactive,
  stageTarget,
} from "../aws-options.ts";
import type { Command } from "../command.ts";
import { failureLines, progressRenderer, resourceLine, stackStatusLine } from "../deploy-output.ts";
import { withRegionClients } from "../region-runs.ts";

export const destroyCommand: Command = {
  name: "destroy",
  summary: "delete a deployed stage and everything in it",
  help: [
    "Usage: sluice destroy [dir] [options]",
    "",
    "Lists every resource of the stage and the data that goes with them (queues with their",
    "message counts, log groups), asks first (refuses without a terminal unless --yes), deletes",
    "the stack and reports each removed resource. Exit 0 at DELETE_COMPLETE, 1 at DELETE_FAILED.",
    "A multi-region app is destroyed in the reverse order of its deploy: the global stack",
    "(us-east-1), every region's stack, then its global tables (primary region); a phase that",
    "fails stops the later ones. With --region naming only some regions, only their stacks go.",
    "",
    "Options:",
    "  --yes               delete without asking",
    ...AWS_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: AWS_OPTIONS,
  async run(args, rawOutput) {
    const { stage, endpointUrl, output } = stageTarget(args, rawOutput, "destroy");
    const json = args.values.json === true;
    const { app, regions } = await appAndRegions(args, args.positionals[0], "destroy");
    const confirm = confirmer(output, args.values.yes === true, interactive());
    const onEvent = progressRenderer(output, { live: false, prefixRegion: regions.length > 1, quiet: json });
    const destroyIn = (where: readonly string[], part?: GlobalPart) =>
      withRegionClients(where, endpointUrl, async (clients, region) => {
        const plan = await planDestroy(clients, app.spec.name, stage, part);
        if (plan.stacks.length === 0) return { region, stacks: [], nothing: true };
        const stackName = plan.stacks.map((s) => s.stackName).join(", ");
        if (!json) {
          output.out(`${stackName} (${region}) will be deleted with:`);
          for (const r of plan.resources) output.out(`  ${resourceLine(r)}`);
        }
        const ok = await confirm({
          region,
          stackName,
          atStake: plan.atStake.length > 0 ? plan.atStake : [],
          action: "destroy",
        });
        if (!ok) return { region, error: "cancelled; nothing was deleted" };
        const context = { clients, polling: cliPolling(), onEvent, confirm };
        return { region, stacks: await destroyStacks(context, plan) };
      });
    const all = appRegions(app.spec);
    const phased = hasGlobalParts(app.spec) && all.every((region) => regions.includes(region));
    const results = phased
      ? await inPhases(
          onEvent,
          [
            ["global", [GLOBAL_STACK_REGION], "global"],
            ["regions", regions, undefined],
            ["global-tables", [all[0] ?? app.spec.region], "global-tables"],
          ],
          destroyIn,
        )
      : await destroyIn(regions);
    if (json) output.out(JSON.stringify(results, null, 2));
    let failed = false;
    for (const result of results) {
      if ("error" in result) {
        failed = true;
        if (!json) output.err(`${result.region}: ${result.error}`);
        continue;
      }
      if ("nothing" in result) {
        if (!json)
          output.out(
            `${result.region}: stage "${stage}" of ${app.spec.name} is not deployed; nothing to delete`,
          );
        continue;
      }
      for (const stack of result.stacks) {
        if (stack.status !== "DELETE_COMPLETE") failed = true;
        if (json) continue;
        output.out(stackStatusLine(stack, result.region));
        for (const r of stack.removed) output.out(`  removed ${resourceLine(r)}`);
        if (stack.failures.length > 0) output.err(failureLines(stack.failures).join("\n"));
      }
    }
    return failed ? 1 : 0;
  },
};

/**
 * Runs each phase's destroys after the one before; a phase with an error or a stack not deleted
 * stops the later ones (their stacks stay, to be destroyed once the failure is fixed).
 */
async function inPhases<
  T extends { region: string } & (
    | { error: string }
    | { stacks: readonly { status: string }[] }
    | { nothing: true }
  ),
>(
  onEvent: DeployListener,
  phases: readonly (readonly [DeployPhase, readonly string[], GlobalPart | undefined])[],
  destroyIn: (where: readonly string[], part?: GlobalPart) => Promise<T[]>,
): Promise<T[]> {
  const all: T[] = [];
  for (const [index, [phase, where, part]] of phases.entries()) {
    const region = where.join(",");
    onEvent({ type: "phase", phase, action: "destroy", region });
    const results = await destroyIn(where, part);
    all.push(...results);
    const failed = results.some(
      (r) => "error" in r || ("stacks" in r && r.stacks.some((s) => s.status !== "DELETE_COMPLETE")),
    );
    if (failed) {
      const skipped = phases.slice(index + 1).map(([name]) => name);
      onEvent({ type: "phase-stopped", phase, action: "destroy", region, skipped });
      break;
    }
  }
  return all;
}

export { atStakeLines };
