import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Plugin } from "esbuild";
import { packageRoot } from "./package-root.ts";

/**
 * Resolves `sluice` and `sluice/runtime` to the running Sluice's own code, so an app bundles the
 * very code it was defined against even when it has no node_modules of its own (a fresh `sluice
 * init`): its sources in the repository, its built dist/ in the published package, which ships
 * no src/ (dependents type-check against dist/*.d.ts only).
 */
export function sluiceAlias(): Plugin {
  const root = packageRoot();
  const fromSources = existsSync(join(root, "src", "index.ts"));
  const entry = (folder: string) =>
    fromSources ? join(root, "src", folder, "index.ts") : join(root, "dist", folder, "index.js");
  const targets: Record<string, string> = {
    sluice: entry(""),
    "sluice/runtime": entry("runtime"),
    "sluice/aws": entry("aws"),
  };
  return {
    name: "sluice-alias",
    setup(build) {
      build.onResolve({ filter: /^sluice(\/runtime|\/aws)?$/ }, (args) => {
        const path = targets[args.path];
        return path ? { path } : undefined;
      });
    },
  };
}
