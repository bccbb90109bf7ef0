import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { findConfigFile } from "../../bundle/load-app.ts";
import { SluiceError } from "../../model/errors.ts";
import type { Command } from "../command.ts";
import { mergePackageJson, parsePackageJson, sluiceDependencySpec } from "./init-package-json.ts";
import { configTemplate, GITIGNORE_LINES, HELLO_HANDLER, LOG_HANDLER, TSCONFIG } from "./init-templates.ts";

export const initCommand: Command = {
  name: "init",
  summary: "scaffold a new app (package.json, tsconfig, definition, handlers) that `sluice dev` runs",
  help: [
    "Usage: sluice init [dir] [--name NAME]",
    "",
    "Writes sluice.config.ts, src/hello.ts, src/log.ts, tsconfig.json and .gitignore into dir",
    "(default: the current folder), and merges Sluice, typescript, @types/aws-lambda and",
    "@types/node (dev dependencies) and the scripts dev, synth and typecheck into its",
    "package.json, keeping every field already there. Refuses to overwrite an existing file.",
    "",
    "Options:",
    "  --name NAME  the app's name (default: the folder's name)",
  ].join("\n"),
  positionals: 1,
  options: { name: { type: "string" } },
  async run(args, output) {
    const dir = resolve(args.positionals[0] ?? process.cwd());
    if (hasConfig(dir)) {
      throw new SluiceError(
        "SLUICE_INIT_EXISTS",
        `${dir} already holds a Sluice app; init writes only into a folder without one`,
        { context: { dir } },
      );
    }
    const name = (args.values.name as string | undefined) ?? appName(basename(dir));
    const files: Record<string, string> = {
      "sluice.config.ts": configTemplate(name),
      "src/hello.ts": HELLO_HANDLER,
      "src/log.ts": LOG_HANDLER,
      "tsconfig.json": TSCONFIG,
    };
    const taken = Object.keys(files).filter((file) => existsSync(join(dir, file)));
    if (taken.length > 0) {
      throw new SluiceError(
        "SLUICE_INIT_EXISTS",
        `${dir} already has ${taken.join(", ")}; init never overwrites a file. Move or rename ${taken.length === 1 ? "it" : "them"}, or run sluice init in another folder`,
        { context: { dir, files: taken } },
      );
    }
    // Everything is read and checked before anything is written, so a refusal leaves no half app.
    const packageFile = join(dir, "package.json");
    const existing = existsSync(packageFile)
      ? parsePackageJson(packageFile, readFileSync(packageFile, "utf8"))
      : undefined;
    const { merged, added } = mergePackageJson(existing, name, sluiceDependencySpec());
    const gitignore = mergedGitignore(join(dir, ".gitignore"));

    mkdirSync(join(dir, "src"), { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(packageFile, `${JSON.stringify(merged, null, 2)}\n`);
    if (gitignore !== undefined) writeFileSync(join(dir, ".gitignore"), gitignore);

    const written = [...Object.keys(files), ...(gitignore === undefined ? [] : [".gitignore"])];
    const where = relative(process.cwd(), dir);
    output.out(
      [
        `created ${name} in ${dir}: ${written.join(", ")}`,
        existing
          ? `package.json: kept every field, added ${added.length > 0 ? added.join(", ") : "nothing"}`
          : "package.json: new",
        "",
        "next:",
        ...(where === "" ? [] : [`  cd ${shellQuote(where)}`]),
        "  npm install",
        "  npx sluice dev                 # run the app locally; leave it running",
        `  npx sluice invoke hello --event '{"name":"Ada"}'   # in another terminal`,
        "  npx tsc --noEmit               # type-check the definition and handlers",
        "  npx sluice synth               # the CloudFormation template",
      ].join("\n"),
    );
    return 0;
  },
};

function hasConfig(dir: string): boolean {
  try {
    findConfigFile(dir);
    return true;
  } catch {
    return false;
  }
}

/** The .gitignore with Sluice's lines added, or undefined when it already has them all. */
function mergedGitignore(file: string): string | undefined {
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const present = new Set(current.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !present.has(line) && !present.has(line.slice(0, -1)));
  if (missing.length === 0) return undefined;
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  return `${current}${separator}${missing.join("\n")}\n`;
}

/** Folder names become valid app names: letters, digits and hyphens. */
function appName(folder: string): string {
  const cleaned = folder.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  return cleaned || "app";
}

function shellQuote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
