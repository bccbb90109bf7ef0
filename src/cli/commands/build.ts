import { relative } from "node:path";
import { buildApp } from "../../bundle/build-app.ts";
import { loadApp } from "../../bundle/load-app.ts";
import { appDir, type Command } from "../command.ts";
import { table } from "../output.ts";

export const buildCommand: Command = {
  name: "build",
  summary: "bundle and zip every function for deployment",
  help: [
    "Usage: sluice build [dir] [options]",
    "",
    "Bundles each function as `sluice dev` runs it and writes reproducible zips (byte-identical",
    "across runs, machines and time zones), manifest.json and app.json (the spec, which",
    "`sluice serve --artifact` reads) to <dir>/.sluice/build/.",
    "",
    "Options:",
    "  --minify          minify the bundles",
    "  --external PKG    leave PKG out of the bundles; repeat for more (default: @aws-sdk/*,",
    "                    which Lambda's Node.js runtimes provide). Giving any replaces the default.",
    "  --dir DIR         the app's folder (default: the current folder)",
    "  --json            print the manifest as JSON",
  ].join("\n"),
  positionals: 1,
  options: {
    dir: { type: "string" },
    json: { type: "boolean" },
    minify: { type: "boolean" },
    external: { type: "string", multiple: true },
  },
  async run(args, output) {
    const started = performance.now();
    const app = await loadApp(appDir(args, args.positionals[0]));
    const external = args.values.external as string[] | undefined;
    const result = await buildApp(app, {
      ...(args.values.minify ? { minify: true } : {}),
      external,
    });
    if (args.values.json) {
      output.out(JSON.stringify(result.manifest, null, 2));
      return 0;
    }
    const rows = Object.values(result.manifest.functions).map((fn) => [
      fn.function,
      kib(fn.bytes),
      kib(fn.unzippedBytes),
      fn.sha256.slice(0, 16),
    ]);
    output.out(table([["function", "zip", "unzipped", "sha256"], ...rows]));
    const outDir = relative(process.cwd(), result.outDir) || ".";
    output.out(
      `built ${rows.length} function(s) in ${Math.round(performance.now() - started)} ms → ${outDir}`,
    );
    const fleets = Object.keys(app.spec.servers ?? {});
    if (fleets.length > 0) {
      output.out(`serve a fleet here: sluice serve --artifact ${outDir} --fleet ${fleets.join("|")}`);
    }
    return 0;
  },
};

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
