import type { LoadedApp } from "../bundle/load-app.ts";
import type { AppSpec } from "../model/app-spec.ts";
import { appRegions } from "../model/failover.ts";
import { normaliseApp } from "../model/normalise.ts";
import { loadDecorators } from "./decorators/load-decorators.ts";
import { type SynthOptions, synthesize } from "./synth.ts";
import { GLOBAL_STACK_REGION, synthGlobal, synthGlobalTables } from "./synth-global.ts";
import type { Template } from "./template/template.ts";
import { toYaml } from "./template/yaml.ts";

export type TemplateFormat = "json" | "yaml";

/** Synthesises a loaded app with its decorators file, if it has one. */
export async function synthApp(
  app: LoadedApp,
  options: Omit<SynthOptions, "decorators" | "dir"> = {},
): Promise<Template> {
  const decorators = await loadDecorators(app.dir, app.stateDir);
  return synthesize(app.spec, { ...options, dir: app.dir, ...(decorators ? { decorators } : {}) });
}

/**
 * Which stack a template is for: a region's own stack (`regional`, the one stack of a one-region
 * app), the global tables (primary region) or the global stack (us-east-1).
 */
export type StackPart = "regional" | "global-tables" | "global";

export interface StackTemplate {
  readonly part: StackPart;
  readonly region: string;
  readonly template: Template;
}

/**
 * Every template of the app, in deploy order: the global table stack, each region's stack (the
 * spec normalised for that region, `normalise` by default; deploy passes its staged spec), then
 * the global stack. A one-region app gets exactly `synthApp`'s one template.
 */
export async function synthAppStacks(
  app: LoadedApp,
  options: Omit<SynthOptions, "decorators" | "dir"> & {
    readonly normalise?: (region: string) => AppSpec;
  } = {},
): Promise<StackTemplate[]> {
  const { normalise = (region: string) => normaliseApp(app.definition, { region }), ...synth } = options;
  const regions = appRegions(app.spec);
  const specs = regions.map((region) => normalise(region));
  const primary = specs[0] ?? app.spec;
  const stacks: StackTemplate[] = [];
  const tables = synthGlobalTables(primary);
  if (tables) stacks.push({ part: "global-tables", region: primary.region, template: tables });
  // The decorators file is compiled and imported once; every region's stack goes through it.
  const decorators = await loadDecorators(app.dir, app.stateDir);
  for (const spec of specs) {
    const template = await synthesize(spec, {
      ...synth,
      dir: app.dir,
      ...(decorators ? { decorators } : {}),
    });
    stacks.push({ part: "regional", region: spec.region, template });
  }
  const global = synthGlobal(primary);
  if (global) stacks.push({ part: "global", region: GLOBAL_STACK_REGION, template: global });
  return stacks;
}

export function formatTemplate(template: Template, format: TemplateFormat): string {
  return format === "yaml" ? toYaml(template) : `${JSON.stringify(template, null, 2)}\n`;
}
