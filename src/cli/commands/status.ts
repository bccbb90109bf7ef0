import {
  createClients,
  type GlobalHealthStatus,
  globalHealthStatus,
  stageStatus,
} from "../../aws/deploy/index.ts";
import { GLOBAL_STACK_REGION } from "../../aws/synth-global.ts";
import { awsErrorMessage } from "../aws-errors.ts";
import { AWS_OPTIONS_HELP, appAndRegions, STAGE_OPTIONS, stageTarget } from "../aws-options.ts";
import type { Command } from "../command.ts";
import { outputLines, stackStatusLine } from "../deploy-output.ts";
import type { Output } from "../output.ts";
import { table } from "../output.ts";
import { withRegionClients } from "../region-runs.ts";

export const statusCommand: Command = {
  name: "status",
  summary: "show a deployed stage: stack status, outputs, function states, queue depths",
  help: [
    "Usage: sluice status [dir] [options]",
    "",
    "Shows the stage's stack (its status and reason), its outputs, each function's State and",
    "LastUpdateStatus, and each queue's messages (waiting / in flight / delayed). An app with a",
    "domain also shows each region's Route 53 health check (GetHealthCheckStatus): healthy,",
    "unhealthy or unknown, how many checkers succeed, and the newest report.",
    "",
    "Options:",
    ...AWS_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: STAGE_OPTIONS,
  async run(args, rawOutput) {
    const { stage, endpointUrl, output } = stageTarget(args, rawOutput, "status");
    const { app, regions } = await appAndRegions(args, args.positionals[0], "status");
    const results = await withRegionClients(regions, endpointUrl, (clients) =>
      stageStatus(clients, app.spec.name, stage),
    );
    const health = app.spec.domain ? await healthChecks(app.spec, stage, endpointUrl) : undefined;
    if (args.values.json) {
      output.out(JSON.stringify(health === undefined ? results : { regions: results, health }, null, 2));
      return results.some((r) => "error" in r || r.stacks.length === 0) ? 1 : 0;
    }
    let failed = false;
    for (const result of results) {
      if ("error" in result) {
        failed = true;
        output.err(`${result.region}: error: ${result.error}`);
        continue;
      }
      if (result.stacks.length === 0) {
        failed = true;
        output.err(
          `${result.region}: stage "${stage}" of ${app.spec.name} is not deployed (run \`sluice deploy --stage ${stage} --region ${result.region}\`)`,
        );
        continue;
      }
      for (const stack of result.stacks) {
        output.out(stackStatusLine(stack, result.region));
        const outputs = outputLines(stack.outputs);
        if (outputs.length > 0) output.out(`outputs:\n${outputs.join("\n")}`);
        if (stack.functions.length > 0) {
          output.out(
            table([
              ["function", "state", "last update"],
              ...stack.functions.map((f) => [f.functionName, f.state, f.lastUpdateStatus]),
            ]),
          );
        }
        if (stack.queues.length > 0) {
          output.out(
            table([
              ["queue", "waiting", "in flight", "delayed"],
              ...stack.queues.map((q) => [
                q.logicalId,
                String(q.visible),
                String(q.inFlight),
                String(q.delayed),
              ]),
            ]),
          );
        }
      }
    }
    if (health !== undefined) printHealth(output, health);
    return failed ? 1 : 0;
  },
};

/** The global stack's health checks (Route 53 answers from us-east-1), or why there are none. */
async function healthChecks(
  spec: Parameters<typeof globalHealthStatus>[1],
  stage: string,
  endpointUrl: string | undefined,
): Promise<GlobalHealthStatus | { readonly error: string } | null> {
  const clients = createClients({ region: GLOBAL_STACK_REGION, ...(endpointUrl ? { endpointUrl } : {}) });
  try {
    return (await globalHealthStatus(clients, spec, stage)) ?? null;
  } catch (error) {
    return { error: awsErrorMessage(error) };
  } finally {
    clients.destroy();
  }
}

function printHealth(output: Output, health: GlobalHealthStatus | { readonly error: string } | null): void {
  if (health === null) {
    output.out("health checks: the global stack is not deployed");
    return;
  }
  if ("error" in health) {
    output.err(`health checks: error: ${health.error}`);
    return;
  }
  output.out(`${health.stackName} (${GLOBAL_STACK_REGION}): ${health.stackStatus}`);
  output.out(
    table([
      ["region", "health check", "status", "checkers ok", "last report"],
      ...health.regions.map((r) => [
        r.region,
        r.healthCheckId,
        r.status,
        `${r.succeeding}/${r.checkers}`,
        r.lastReport ? `${r.lastReport.status} (${r.lastReport.checkedAt})` : "-",
      ]),
    ]),
  );
}
