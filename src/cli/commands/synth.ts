import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  formatTemplate,
  type StackTemplate,
  synthAppStacks,
  type TemplateFormat,
} from "../../aws/synth-app.ts";
import { loadApp } from "../../bundle/load-app.ts";
import { gotValue } from "../../model/errors.ts";
import { permissionWarnings } from "../../model/iam/permission-warnings.ts";
import { appDir, type Command } from "../command.ts";
import { UsageError } from "../usage-error.ts";

export const synthCommand: Command = {
  name: "synth",
  summary: "write the app's CloudFormation template",
  help: [
    "Usage: sluice synth [dir] [options]",
    "",
    "Writes one CloudFormation template for everything the definition holds, changed by",
    "sluice.decorators.ts when the app has one. Function code comes from the parameters",
    "ArtifactBucket and <Function>CodeKey (the zips `sluice build` writes).",
    "",
    "A multi-region app (regions, domain, global tables) has a template per region, plus one for",
    "its global tables (primary region) and one for its global stack (us-east-1, Route 53): on",
    "standard output one JSON object keyed `<part>/<region>` (YAML: one document each), or with",
    "--out-dir one file each: <app>.<region>.template.json, <app>.global-tables.template.json,",
    "<app>.global.template.json.",
    "",
    "Options:",
    "  --format json|yaml  template format (default: json)",
    "  --out FILE          write to FILE instead of standard output (one-template apps)",
    "  --out-dir DIR       write every template into DIR",
    "  --dir DIR           the app's folder (default: the current folder)",
  ].join("\n"),
  positionals: 1,
  options: {
    dir: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    "out-dir": { type: "string" },
  },
  async run(args, output) {
    const format = (args.values.format as string | undefined) ?? "json";
    if (format !== "json" && format !== "yaml") {
      throw new UsageError(gotValue("--format takes json or yaml", format), "synth");
    }
    const app = await loadApp(appDir(args, args.positionals[0]));
    const stacks = await synthAppStacks(app);
    // On stderr, so `sluice synth > template.json` keeps a clean template.
    for (const warning of permissionWarnings(app.spec))
      output.err(`warning: ${warning.path}: ${warning.message}`);
    const out = args.values.out as string | undefined;
    const outDir = args.values["out-dir"] as string | undefined;
    if (outDir !== undefined) {
      for (const stack of stacks) {
        const file = resolve(outDir, templateFileName(app.spec.name, stack, stacks.length, format));
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, formatTemplate(stack.template, format as TemplateFormat));
        output.out(`wrote ${file}: ${counts(stack)}`);
      }
      return 0;
    }
    const [only] = stacks;
    if (stacks.length > 1 || only === undefined) {
      if (out !== undefined) {
        throw new UsageError(
          `${app.spec.name} has ${stacks.length} templates (one per region, its global tables and its global stack); write them with --out-dir DIR`,
          "synth",
        );
      }
      output.out(severalTemplates(stacks, format as TemplateFormat).replace(/\n$/, ""));
      return 0;
    }
    const template = only.template;
    const text = formatTemplate(template, format as TemplateFormat);
    if (out === undefined) {
      output.out(text.replace(/\n$/, ""));
      return 0;
    }
    const file = resolve(out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    output.out(
      `wrote ${file}: ${Object.keys(template.Resources).length} resources, ${Object.keys(template.Parameters).length} parameters, ${Object.keys(template.Outputs).length} outputs`,
    );
    return 0;
  },
};

function counts(stack: StackTemplate): string {
  const t = stack.template;
  return `${Object.keys(t.Resources).length} resources, ${Object.keys(t.Parameters).length} parameters, ${Object.keys(t.Outputs).length} outputs`;
}

/** `<app>.template.json` alone; a region's `<app>.<region>.template.json`; `<app>.<part>.template.json`. */
function templateFileName(app: string, stack: StackTemplate, total: number, format: string): string {
  const middle = total === 1 ? "" : stack.part === "regional" ? `.${stack.region}` : `.${stack.part}`;
  return `${app}${middle}.template.${format}`;
}

function severalTemplates(stacks: readonly StackTemplate[], format: TemplateFormat): string {
  if (format === "json") {
    const all = Object.fromEntries(stacks.map((s) => [`${s.part}/${s.region}`, s.template]));
    return `${JSON.stringify(all, null, 2)}\n`;
  }
  return stacks.map((s) => `# ${s.part}/${s.region}\n${formatTemplate(s.template, "yaml")}`).join("---\n");
}
