import { destroyStacks, planDestroy } from "../../aws/deploy/index.ts";
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
    const results = await withRegionClients(regions, endpointUrl, async (clients, region) => {
      const plan = await planDestroy(clients, app.spec.name, stage);
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

export { atStakeLines };
