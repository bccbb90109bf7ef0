import type { Plugin } from "esbuild";
import { join } from "node:path";
import { packageRoot } from "./package-root.ts";

/**
 * Resolves `sluice` and `sluice/runtime` to Sluice's own sources, so an app bundles the very
 * code it was defined against even when it has no node_modules of its own (a fresh `sluice init`).
 */
export function sluiceAlias(): Plugin {
  const root = packageRoot();
  const targets: Record<string, string> = {
    sluice: join(root, "src", "index.ts"),
    "sluice/runtime": join(root, "src", "runtime", "index.ts"),
    "sluice/aws": join(root, "src", "aws", "index.ts"),
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
