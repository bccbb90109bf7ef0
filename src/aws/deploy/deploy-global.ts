/**
 * `sluice deploy` of a multi-region app, in three phases, each only after the one before
 * succeeded (a failure stops the later phases; the stacks already deployed stay as they are):
 *
 * 1. `global-tables`: the global table stack in the primary region, since every regional stack's
 *    functions use their region's replica (and read its stream ARN, lookups.ts);
 * 2. `regions`: every regional stack, in parallel (deployRegion, through the caller);
 * 3. `global`: the global stack in us-east-1: Route 53 health checks, records and alarms, whose
 *    parameters are the regional stacks' outputs and health checker secrets. CloudFormation
 *    exports do not cross regions, so deploy carries them.
 *
 * A deploy of some regions only (`--region`) runs phase 2 alone: the global stacks describe
 * every region and are deployed with all of them. `sluice destroy` reverses the order
 * (destroy-global.ts).
 */
import type { LoadedApp } from "../../bundle/load-app.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { appRegions, route53HealthFunction } from "../../model/failover.ts";
import { GLOBAL_STACK_REGION, synthGlobal, synthGlobalTables } from "../synth-global.ts";
import { DOMAIN_LOGICAL_IDS, logicalId } from "../template/logical-ids.ts";
import type { Template } from "../template/template.ts";
import { artifactBucket } from "./bootstrap.ts";
import { capabilitiesFor } from "./capabilities.ts";
import { type AwsClients, accountId, createClients } from "./clients.ts";
import { stagedSpec } from "./deploy-app.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import { type Confirm, DEPLOY_PHASES, type DeployListener, type DeployPhase } from "./deploy-events.ts";
import type { RegionDeployResult } from "./deploy-region.ts";
import { deployStack, type StackContext, type StackDeployResult } from "./deploy-stack.ts";
import { lookupParameters } from "./lookups.ts";
import type { Polling } from "./polling.ts";
import { describeStack, previousParameterKeys } from "./stacks.ts";
import { type GlobalPart, globalStackName, globalStackTags } from "./stage.ts";
import { templateFitsInline, templateSource } from "./template-source.ts";

/** A region (or a global part) whose work threw, with what it threw. */
export interface PhaseFailure {
  readonly region: string;
  readonly error: unknown;
}

export interface GlobalPartResult extends StackDeployResult {
  readonly part: GlobalPart;
  readonly region: string;
}

export interface AppDeployOptions {
  readonly app: LoadedApp;
  readonly stage: string;
  /** The regions this deploy covers: the app's (appRegions) unless the user named some. */
  readonly regions: readonly string[];
  readonly endpointUrl?: string;
  readonly polling: Polling;
  readonly onEvent: DeployListener;
  readonly confirm: Confirm;
  /** Phase 2: deploys these regions' stacks, at once, each region's failure its own result. */
  deployRegions(regions: readonly string[]): Promise<readonly (RegionDeployResult | PhaseFailure)[]>;
  /** Given by the user for every region, when it was (DeployTarget.healthCheckerId). */
  readonly healthCheckerId?: string;
  /** Deploys one global stack. @default a change set in its region (deployPart); tests replace it */
  readonly deployPart?: typeof deployPart;
}

export interface AppDeployResult {
  readonly globalTables?: GlobalPartResult | (PhaseFailure & { readonly part: "global-tables" });
  readonly regions: readonly (RegionDeployResult | PhaseFailure)[];
  readonly global?: GlobalPartResult | (PhaseFailure & { readonly part: "global" });
  /** The phase that failed, when one did: the phases after it did not run. */
  readonly stoppedAt?: DeployPhase;
}

/** Whether the app deploys more than its regional stacks (and so in phases). */
export function hasGlobalParts(spec: AppSpec): boolean {
  return synthGlobalTables(spec) !== undefined || synthGlobal(spec) !== undefined;
}

export async function deployApp(options: AppDeployOptions): Promise<AppDeployResult> {
  const spec = options.app.spec;
  const all = appRegions(spec);
  const whole = all.every((region) => options.regions.includes(region));
  if (!hasGlobalParts(spec) || !whole) return { regions: await options.deployRegions(options.regions) };
  const primary = all[0] ?? spec.region;
  const phase = (name: DeployPhase, region: string, stackName?: string) =>
    options.onEvent({
      type: "phase",
      phase: name,
      action: "deploy",
      region,
      ...(stackName ? { stackName } : {}),
    });
  const stop = (name: DeployPhase, region: string): DeployPhase => {
    options.onEvent({
      type: "phase-stopped",
      phase: name,
      action: "deploy",
      region,
      skipped: DEPLOY_PHASES.slice(DEPLOY_PHASES.indexOf(name) + 1),
    });
    return name;
  };

  let globalTables: AppDeployResult["globalTables"];
  const tablesName = globalStackName(spec.name, options.stage, "global-tables");
  if (synthGlobalTables(spec)) {
    phase("global-tables", primary, tablesName);
    globalTables = await (options.deployPart ?? deployPart)(options, "global-tables", primary, (staged) => ({
      template: synthGlobalTables(staged),
      parameters: async () => [],
    }));
    if (failed(globalTables)) return { globalTables, regions: [], stoppedAt: stop("global-tables", primary) };
  }

  phase("regions", options.regions.join(","));
  const regions = await options.deployRegions(options.regions);
  const regionsFailed = regions.some((r) => "error" in r || r.outcome === "failed");
  if (regionsFailed) {
    return {
      ...(globalTables ? { globalTables } : {}),
      regions,
      stoppedAt: stop("regions", options.regions.join(",")),
    };
  }

  const done = regions as readonly RegionDeployResult[];
  phase("global", GLOBAL_STACK_REGION, globalStackName(spec.name, options.stage, "global"));
  const global = await (options.deployPart ?? deployPart)(
    options,
    "global",
    GLOBAL_STACK_REGION,
    (staged, existing) => ({
      template: synthGlobal(staged),
      parameters: (clients, template) => globalParameters(staged, template, done, existing, options, clients),
    }),
  );
  return {
    ...(globalTables ? { globalTables } : {}),
    regions,
    global,
    ...(failed(global) ? { stoppedAt: stop("global", GLOBAL_STACK_REGION) } : {}),
  };
}

function failed(result: GlobalPartResult | PhaseFailure): boolean {
  return "error" in result || result.outcome === "failed";
}

export type PartPlan = (
  staged: AppSpec,
  existingParameters: ReadonlySet<string>,
) => {
  readonly template: Template | undefined;
  parameters(
    clients: AwsClients,
    template: Template,
  ): Promise<{ ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }[]>;
};

/** One global stack through a change set, as deployStack takes every stack. */
export async function deployPart<P extends GlobalPart>(
  options: AppDeployOptions,
  part: P,
  region: string,
  plan: PartPlan,
): Promise<GlobalPartResult | (PhaseFailure & { readonly part: P })> {
  const clients = createClients({
    region,
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
  });
  try {
    const context: StackContext = {
      clients,
      polling: options.polling,
      onEvent: options.onEvent,
      confirm: options.confirm,
    };
    const staged = stagedSpec(options.app, {
      stage: options.stage,
      generation: 1,
      region: appRegions(options.app.spec)[0] ?? region,
      accountId: await accountId(clients),
    });
    const stackName = globalStackName(options.app.spec.name, options.stage, part);
    const existing = await describeStack(clients.cloudFormation, stackName);
    const { template, parameters } = plan(staged, previousParameterKeys(existing));
    if (template === undefined) throw new Error(`the app has no ${part} stack`);
    const body = JSON.stringify(template);
    // Small enough inline (no artifact bucket needed, so us-east-1 need not be bootstrapped).
    const source = templateFitsInline(body)
      ? { TemplateBody: body, bytes: Buffer.byteLength(body, "utf8") }
      : await templateSource(clients.s3, {
          body,
          bucket: await artifactBucket(context),
          region,
          endpointUrl: clients.endpointUrl,
        });
    const result = await deployStack(context, {
      stackName,
      template: source,
      parameters: await parameters(clients, template),
      tags: globalStackTags(options.app.spec.name, options.stage, part),
      capabilities: capabilitiesFor(template),
    });
    return { ...result, part, region };
  } catch (error) {
    return { part, region, error };
  } finally {
    clients.destroy();
  }
}

/**
 * The global stack's parameters: the hosted zone (looked up), and per region its stack's outputs
 * and the health checkers' secret that region's deploy set, else the one the global stack keeps.
 */
export async function globalParameters(
  staged: AppSpec,
  template: Template,
  regions: readonly RegionDeployResult[],
  existing: ReadonlySet<string>,
  options: Pick<AppDeployOptions, "healthCheckerId">,
  clients: Pick<AwsClients, "route53" | "dynamodb" | "region">,
): Promise<{ ParameterKey: string; ParameterValue?: string; UsePreviousValue?: boolean }[]> {
  const values: Record<string, string> = await lookupParameters(clients, staged, template);
  const keep = new Set<string>();
  const fn = route53HealthFunction(staged);
  for (const result of regions) {
    const outputs = result.outputs;
    const take = (kind: Parameters<typeof logicalId>[0], output: string) => {
      const id = logicalId(kind, result.region);
      if (!(id in template.Parameters)) return;
      const value = outputs[output];
      if (value === undefined) {
        throw new DeployError(
          DEPLOY_ERROR.parameter,
          `the stack ${result.stackName} in ${result.region} has no output ${output}, which the global stack needs; deploy that region again`,
          { context: { region: result.region, output } },
        );
      }
      values[id] = value;
    };
    take("regionDomainTargetParameter", DOMAIN_LOGICAL_IDS.targetOutput);
    take("regionDomainZoneParameter", DOMAIN_LOGICAL_IDS.zoneOutput);
    take("regionApiHostParameter", DOMAIN_LOGICAL_IDS.apiHostOutput);
    const secretId = logicalId("regionHealthCheckerIdParameter", result.region);
    if (fn && secretId in template.Parameters) {
      const secret = result.healthCheckerIds[fn.name] ?? options.healthCheckerId;
      if (secret !== undefined) values[secretId] = secret;
      else if (existing.has(secretId)) keep.add(secretId);
      else {
        throw new DeployError(
          DEPLOY_ERROR.parameter,
          `the global stack's health check of ${result.region} needs the health checkers' secret of the stack ${result.stackName}, which keeps its own and cannot be read back (NoEcho); deploy again with --health-checker-id (or $SLUICE_HEALTH_CHECKER_ID) to set one for every region`,
          { context: { region: result.region } },
        );
      }
    }
  }
  return Object.keys(template.Parameters).map((id) => {
    if (keep.has(id)) return { ParameterKey: id, UsePreviousValue: true };
    const value = values[id];
    if (value === undefined) {
      throw new DeployError(DEPLOY_ERROR.parameter, `the global stack's parameter ${id} has no value`, {
        context: { parameter: id },
      });
    }
    return { ParameterKey: id, ParameterValue: value };
  });
}
