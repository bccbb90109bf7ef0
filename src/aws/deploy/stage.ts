/**
 * Stages, regions and generations. A stage's stack is `<app>-<stage>`; a switchover deploys the
 * next generation beside it under the stage `<stage>-g<N>` (so every physical name differs too)
 * and records app, stage and generation in the stack's tags, which is how status, destroy and
 * the next deploy find the live stack.
 */
import { gotValue, SluiceError } from "../../model/errors.ts";
import { stagedName } from "../../model/naming.ts";

export const DEFAULT_STAGE = "dev";

export const TAG = {
  app: "sluice:app",
  stage: "sluice:stage",
  generation: "sluice:generation",
  /**
   * A multi-region app's stacks beside the regional ones: `global-tables` (primary region) and
   * `global` (us-east-1). Absent on a regional stack; stageStacks leaves tagged stacks out.
   */
  part: "sluice:part",
} as const;

/** The stacks a multi-region app adds to its regional ones (synth-global.ts). */
export type GlobalPart = "global-tables" | "global";

/** `<app>-<stage>-global-tables`, `<app>-<stage>-global`: one of each per stage, no generations. */
export function globalStackName(app: string, stage: string, part: GlobalPart): string {
  return `${stagedName(app, stage)}-${part}`;
}

export function globalStackTags(
  app: string,
  stage: string,
  part: GlobalPart,
): { Key: string; Value: string }[] {
  return [
    { Key: TAG.app, Value: app },
    { Key: TAG.stage, Value: stage },
    { Key: TAG.part, Value: part },
  ];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const GENERATION_SUFFIX = /-g\d+$/;

/** `us-east-1,eu-west-1` → both, in order, without duplicates. */
export function parseRegions(value: string): string[] {
  const regions = [
    ...new Set(
      value
        .split(",")
        .map((r) => r.trim())
        .filter((r) => r.length > 0),
    ),
  ];
  if (regions.length === 0) {
    throw new SluiceError("SLUICE_REGION", gotValue("--region needs at least one Region code", value));
  }
  for (const region of regions) {
    if (!REGION.test(region)) {
      throw new SluiceError(
        "SLUICE_REGION",
        `"${region}" is not an AWS Region code; pass codes such as us-east-1 or eu-west-2, comma-separated`,
      );
    }
  }
  return regions;
}

/** Rejects stage names a generation would collide with (`prod-g2` is generation 2 of `prod`). */
export function checkStageName(stage: string): void {
  if (GENERATION_SUFFIX.test(stage)) {
    throw new SluiceError(
      "SLUICE_STAGE",
      `the stage "${stage}" ends in -g<digits>, which Sluice keeps for switchover generations; pick another name, e.g. "${stage.replace(GENERATION_SUFFIX, "")}-v${stage.match(/\d+$/)?.[0] ?? "2"}"`,
    );
  }
}

/** The stage physical names use: the stage itself for generation 1, `<stage>-g<N>` after. */
export function physicalStage(stage: string, generation: number): string {
  return generation <= 1 ? stage : `${stage}-g${generation}`;
}

export function stageStackName(app: string, stage: string, generation: number): string {
  return stagedName(app, physicalStage(stage, generation));
}

export function stackTags(app: string, stage: string, generation: number): { Key: string; Value: string }[] {
  return [
    { Key: TAG.app, Value: app },
    { Key: TAG.stage, Value: stage },
    { Key: TAG.generation, Value: String(generation) },
  ];
}
