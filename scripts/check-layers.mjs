// Enforces the architecture's import directions (docs/architecture.md):
//   model   → nothing outside model
//   runtime → model types only (it is bundled into every function)
//   bundle  → model
//   local   → model (never bundle, dev, cli, aws)
//   aws     → model, bundle (never local)
//   dev     → model, bundle, local
//   cli     → anything
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const allowed = {
  model: ["model"],
  runtime: ["runtime", "model"],
  bundle: ["bundle", "model"],
  local: ["local", "model"],
  aws: ["aws", "model", "bundle"],
  dev: ["dev", "model", "bundle", "local"],
  cli: ["cli", "model", "bundle", "local", "dev", "aws", "runtime"],
};

const src = resolve("src");
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".ts")) files.push(path);
  }
})(src);

const problems = [];
for (const file of files) {
  const layer = relative(src, file).split("/")[0];
  if (!layer.endsWith(".ts") && !allowed[layer])
    problems.push(`${relative(".", file)}: folder "${layer}" has no layering rule`);
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["'](\.[^"']+)["']/gm)) {
    const target = relative(src, resolve(dirname(file), match[3]));
    const targetLayer = target.split("/")[0];
    if (layer.endsWith(".ts")) continue; // src/index.ts is the public surface
    const typeOnly = Boolean(match[2]);
    if (layer === "runtime" && targetLayer === "model" && !typeOnly) {
      problems.push(`${relative(".", file)}: runtime may import only types from model (${match[3]})`);
    } else if (!allowed[layer]?.includes(targetLayer)) {
      problems.push(`${relative(".", file)}: ${layer} must not import ${targetLayer} (${match[3]})`);
    }
  }
}
if (problems.length) {
  console.error(`layering violations:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`layering ok: ${files.length} files`);
