import type { LoadedApp } from "../bundle/load-app.ts";
import { loadDecorators } from "./decorators/load-decorators.ts";
import { type SynthOptions, synthesize } from "./synth.ts";
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

export function formatTemplate(template: Template, format: TemplateFormat): string {
  return format === "yaml" ? toYaml(template) : `${JSON.stringify(template, null, 2)}\n`;
}
