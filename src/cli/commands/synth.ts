import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { formatTemplate, synthApp, type TemplateFormat } from "../../aws/synth-app.ts";
import { loadApp } from "../../bundle/load-app.ts";
import { permissionWarnings } from "../../model/iam/permission-warnings.ts";
import { type Command, appDir } from "../command.ts";
import { UsageError } from "../usage-error.ts";
import { gotValue } from "../../model/errors.ts";

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
    "Options:",
    "  --format json|yaml  template format (default: json)",
    "  --out FILE          write to FILE instead of standard output",
    "  --dir DIR           the app's folder (default: the current folder)",
  ].join("\n"),
  positionals: 1,
  options: { dir: { type: "string" }, format: { type: "string" }, out: { type: "string" } },
  async run(args, output) {
    const format = (args.values.format as string | undefined) ?? "json";
    if (format !== "json" && format !== "yaml") {
      throw new UsageError(gotValue("--format takes json or yaml", format), "synth");
    }
    const app = await loadApp(appDir(args, args.positionals[0]));
    const template = await synthApp(app);
    // On stderr, so `sluice synth > template.json` keeps a clean template.
    for (const warning of permissionWarnings(app.spec))
      output.err(`warning: ${warning.path}: ${warning.message}`);
    const text = formatTemplate(template, format as TemplateFormat);
    const out = args.values.out as string | undefined;
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
