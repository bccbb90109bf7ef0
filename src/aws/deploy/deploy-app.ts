/**
 * `sluice deploy` in one region: synthesise the staged app, upload what changed, and take the
 * stack through a change set; then wait for the functions. Switchover lives in switchover.ts.
 */
import type { BuildResult } from "../../bundle/build-app.ts";
import type { LoadedApp } from "../../bundle/load-app.ts";
import type { AppSpec } from "../../model/app-spec.ts";
import { normaliseApp } from "../../model/normalise.ts";
import { synthApp } from "../synth-app.ts";
import { uploadArtifacts } from "./artifacts.ts";
import { artifactBucket } from "./bootstrap.ts";
import { capabilitiesFor } from "./capabilities.ts";
import { accountId } from "./clients.ts";
import { deployStack, type StackContext, type StackDeployResult } from "./deploy-stack.ts";
import { type ServerArtifactWriter, uploadFleetArtifacts } from "./fleet-artifacts.ts";
import { type FleetHealth, waitForFleets } from "./fleet-health.ts";
import { ec2Network, type FleetNetworkLookup, fleetNetworkParameters } from "./fleet-network.ts";
import { type DeployedFunctionState, waitForFunctions } from "./function-states.ts";
import { lookupParameters } from "./lookups.ts";
import { deployParameters, healthCheckerIdsSet } from "./parameters.ts";
import { describeStack, previousParameterKeys } from "./stacks.ts";
import { physicalStage, stackTags, stageStackName } from "./stage.ts";
import { templateSource } from "./template-source.ts";

export interface DeployTarget {
  readonly app: LoadedApp;
  /** The zips `buildApp` wrote; the bundles do not depend on stage or region, so one build serves all. */
  readonly build: BuildResult;
  readonly stage: string;
  /** The health checkers' secret to set; without it a new stack gets a random one and an existing stack keeps its own. */
  readonly healthCheckerId?: string;
  /** @default 32 random bytes */
  readonly generateSecret?: () => string;
  /**
   * Where server fleets' VPC and default subnets come from (fleet-network.ts).
   * @default EC2's default VPC and subnets, or the named subnets' VPC (`sluice cloud` answers too)
   */
  readonly network?: FleetNetworkLookup;
  /** Writes a fleet's server artifact. @default bundle/server-artifact.ts writeServerArtifact */
  readonly writeServerArtifact?: ServerArtifactWriter;
}

export interface GenerationResult extends StackDeployResult {
  readonly generation: number;
  readonly artifacts: { readonly uploaded: number; readonly skipped: number };
  /** Every function's state once the deploy finished (empty when it failed or nothing changed). */
  readonly functions: readonly DeployedFunctionState[];
  /**
   * The health checkers' secret set per function (healthCheckerIdsSet): the global stack's health
   * checks send it. A secret: never printed, nor part of any JSON result.
   */
  readonly healthCheckerIds: Readonly<Record<string, string>>;
  /** Each load-balanced server fleet once healthy, with its URL (empty when it failed or has none). */
  readonly fleets?: readonly FleetHealth[];
}

/** The app as a stage and generation names it in this region and account. */
export function stagedSpec(
  app: LoadedApp,
  options: { stage: string; generation: number; region: string; accountId: string },
): AppSpec {
  return normaliseApp(app.definition, {
    region: options.region,
    accountId: options.accountId,
    stage: physicalStage(options.stage, options.generation),
  });
}

/** Deploys generation `generation` of the stage: `<app>-<stage>` for 1, `<app>-<stage>-g<N>` after. */
export async function deployGeneration(
  context: StackContext,
  target: DeployTarget,
  generation: number,
): Promise<GenerationResult> {
  const { clients, polling, onEvent } = context;
  const region = clients.region;
  const spec = stagedSpec(target.app, {
    stage: target.stage,
    generation,
    region,
    accountId: await accountId(clients),
  });
  const stackName = stageStackName(spec.name, target.stage, generation);
  const bucket = await artifactBucket(context);
  const functionArtifacts = await uploadArtifacts(clients.s3, bucket, target.build);
  // Each fleet's artifact holds this spec (staged for this region and account): what its servers serve.
  const fleetArtifacts = await uploadFleetArtifacts(
    clients.s3,
    bucket,
    { build: target.build, spec },
    target.writeServerArtifact ? { write: target.writeServerArtifact } : {},
  );
  const artifacts = {
    codeKeys: functionArtifacts.codeKeys,
    uploaded: functionArtifacts.uploaded + fleetArtifacts.uploaded,
    skipped: functionArtifacts.skipped + fleetArtifacts.skipped,
  };
  onEvent({ type: "artifacts", region, uploaded: artifacts.uploaded, skipped: artifacts.skipped });
  const template = await synthApp({ ...target.app, spec });
  const body = JSON.stringify(template);
  const source = await templateSource(clients.s3, {
    body,
    bucket,
    region,
    endpointUrl: clients.endpointUrl,
  });
  onEvent({
    type: "template",
    region,
    bytes: source.bytes,
    via: "TemplateBody" in source ? "TemplateBody" : "TemplateURL",
  });
  const existing = await describeStack(clients.cloudFormation, stackName);
  const parameters = deployParameters({
    spec,
    template,
    bucket,
    codeKeys: artifacts.codeKeys,
    existing: previousParameterKeys(existing),
    healthCheckerId: target.healthCheckerId,
    generateSecret: target.generateSecret,
    lookups: {
      ...(await lookupParameters(clients, spec, template)),
      ...fleetArtifacts.parameters,
      ...(await fleetNetworkParameters(
        spec,
        template,
        target.network ?? ec2Network(region, () => clients.ec2()),
      )),
    },
  });
  const result = await deployStack(context, {
    stackName,
    template: source,
    parameters,
    tags: stackTags(spec.name, target.stage, generation),
    capabilities: capabilitiesFor(template),
  });
  const functions =
    result.outcome === "deployed" ? await waitForFunctions(clients, stackName, polling, onEvent) : [];
  // Functions first: a fleet's servers may call them as soon as they take traffic.
  const fleets =
    result.outcome === "deployed" ? await waitForFleets(clients, spec, result.outputs, polling, onEvent) : [];
  return {
    ...result,
    generation,
    artifacts,
    functions,
    fleets,
    healthCheckerIds: healthCheckerIdsSet(spec, parameters),
  };
}
