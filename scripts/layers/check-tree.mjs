// Judges every .ts file under a source root against the rules in rules.mjs and folders.mjs, and
// returns what breaks them. Each problem names the file, the line and the rule, so a failure says
// where to look and which sentence of the architecture it breaks.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { cycles, reachedRoom, unitOf } from "./folders.mjs";
import { packageOf, parseFile } from "./parse-file.mjs";
import {
  computedImportAllowed,
  entryLayers,
  layers,
  partitionAllowed,
  partitionExamples,
  requireAllowed,
} from "./rules.mjs";

/** @typedef {{ file: string, line: number, rule: string, message: string }} Problem */
/** @typedef {(line: number, rule: string, message: string) => void} Report */
/** @typedef {Map<string, Map<string, string>>} Graph node -> (node -> the import that makes the edge) */

const builtins = new Set(builtinModules.map((name) => name.replace(/^node:/, "").split("/")[0]));
// XML namespaces and service principals contain amazonaws.com but are the same in every partition.
const notPartitions = [
  /https?:\/\/[a-z0-9.-]+\.amazonaws\.com\/doc\/\d{4}-\d{2}-\d{2}\//g,
  /^[a-z0-9-]+\.amazonaws\.com$/g,
];
const partition = /arn:aws:|amazonaws\.com/;

/** @param {string} root folder that plays the part of src/ @returns {{ files: number, problems: Problem[] }} */
export function checkTree(root) {
  const base = resolve(root);
  const paths = listTs(base);
  /** @type {Problem[]} */
  const problems = [];
  /** @type {Graph} */ const folders = new Map();
  /** @type {Graph} */ const files = new Map();
  for (const path of paths) {
    const file = relative(base, path).split(sep).join("/");
    const shown = relative(".", path);
    /** @type {Report} */
    const report = (line, rule, message) => problems.push({ file: shown, line, rule, message });
    const facts = parseFile(path, readFileSync(path, "utf8"));
    const layer = file.includes("/") ? file.split("/")[0] : undefined;
    if (layer !== undefined && layers[layer] === undefined)
      report(1, "layer", `folder "${layer}" has no layering rule`);
    for (const fact of facts.imports) {
      const how = `${describeKind(fact.kind)} "${fact.specifier}"`;
      if (fact.kind === "require" && !requireAllowed.includes(file))
        report(fact.line, "require", `require/createRequire is not allowed here (${how}); use an import`);
      if (fact.specifier === "<computed>") {
        if (fact.kind === "dynamic" && !computedImportAllowed.includes(file))
          report(
            fact.line,
            "dynamic-import",
            "import() of a computed specifier: name the module so it can be checked",
          );
        continue;
      }
      if (fact.specifier.includes("#")) continue;
      if (!fact.specifier.startsWith(".")) {
        checkPackage(layer, fact, how, report);
        continue;
      }
      const target = relative(base, resolve(dirname(path), fact.specifier))
        .split(sep)
        .join("/");
      if (target.startsWith("../")) {
        report(fact.line, "layer", `imports from outside the source tree (${how})`);
        continue;
      }
      checkDirection(file, layer, target, fact, how, report);
      const room = reachedRoom(file, target);
      if (room) report(fact.line, "surface-index", `reaches into ${room} past its index.ts (${how})`);
      const link = `${shown}:${fact.line} ${how}`;
      addEdge(folders, unitOf(file), unitOf(target), link);
      addEdge(files, file, target, link);
    }
    if (!partitionAllowed.includes(file)) checkPartitions(file, facts.partitions, report);
  }
  problems.push(
    ...cycleProblems(folders, "folder-cycle", "folders"),
    ...cycleProblems(files, "file-cycle", "files"),
  );
  return { files: paths.length, problems };
}

/**
 * Which layer may import which (types only, for runtime's view of model), and what a file that
 * another layer takes values from may itself import.
 * @param {string} file @param {string | undefined} layer @param {string} target
 * @param {import("./parse-file.mjs").ImportFact} fact @param {string} how @param {Report} report
 */
function checkDirection(file, layer, target, fact, how, report) {
  const targetLayer = target.includes("/") ? target.split("/")[0] : "(entry)";
  const rule = layer === undefined ? undefined : layers[layer];
  if (layer === undefined) {
    if (!entryLayers.includes(targetLayer))
      report(fact.line, "layer", `an entry point may re-export only ${entryLayers.join(", ")} (${how})`);
  } else if (rule && targetLayer !== layer) {
    const allowed =
      (fact.kind === "type" && rule.typeLayers?.includes(targetLayer)) || rule.valueFiles?.includes(target);
    if (!rule.layers.includes(targetLayer) && !allowed) {
      const types = rule.typeLayers?.includes(targetLayer) ? " except its types" : "";
      report(fact.line, "layer", `${layer} must not import ${targetLayer}${types} (${how})`);
    }
  }
  // A file another layer takes values from is bundled with it: it must not pull in more.
  const taker = Object.keys(layers).find((name) => layers[name]?.valueFiles?.includes(file));
  const valueFiles = taker === undefined ? [] : (layers[taker]?.valueFiles ?? []);
  if (taker && fact.kind !== "type" && !valueFiles.includes(target))
    report(
      fact.line,
      "layer",
      `${taker} takes values from this file: it may import values only from ${valueFiles.join(", ")} (${how})`,
    );
}

/** @param {string | undefined} layer @param {import("./parse-file.mjs").ImportFact} fact @param {string} how @param {Report} report */
function checkPackage(layer, fact, how, report) {
  const rule = layer === undefined ? undefined : layers[layer];
  if (!rule) {
    if (layer === undefined) report(fact.line, "package", `an entry point re-exports src only (${how})`);
    return;
  }
  const name = fact.specifier.replace(/^node:/, "").split("/")[0] ?? "";
  if (fact.specifier.startsWith("node:") || builtins.has(name)) {
    if (!rule.builtins.includes(name))
      report(
        fact.line,
        "builtin",
        `${layer} may not use node:${name} (${how}); allowed: ${rule.builtins.join(", ") || "none"}`,
      );
    return;
  }
  const pkg = packageOf(fact.specifier);
  const typeOnly = fact.kind === "type" && rule.typePackages?.includes(pkg);
  if (!rule.packages.includes(pkg) && !typeOnly)
    report(
      fact.line,
      "package",
      `${layer} may not use the package ${pkg} (${how}); allowed: ${rule.packages.join(", ") || "none"}`,
    );
}

/** @param {string} file @param {{ text: string, line: number }[]} literals @param {Report} report */
function checkPartitions(file, literals, report) {
  const shapes = [...notPartitions, ...(partitionExamples[file] ?? [])];
  for (const literal of literals) {
    const rest = shapes.reduce((text, shape) => text.replaceAll(shape, ""), literal.text);
    if (partition.test(rest))
      report(
        literal.line,
        "literal-partition",
        `literal partition ${JSON.stringify(literal.text)}: build it with the partition rule (${partitionAllowed.join(", ")})`,
      );
  }
}

/** @param {Graph} graph @param {string} from @param {string} to @param {string} link */
function addEdge(graph, from, to, link) {
  if (from === to) return;
  const out = graph.get(from) ?? new Map();
  graph.set(from, out);
  if (!out.has(to)) out.set(to, link);
}

/** @param {Graph} graph @param {string} rule @param {string} noun @returns {Problem[]} */
function cycleProblems(graph, rule, noun) {
  return cycles(graph).map((members) => {
    const links = members.flatMap((from) =>
      members.flatMap((to) => {
        const link = graph.get(from)?.get(to);
        return link === undefined ? [] : [link];
      }),
    );
    const [first = members[0] ?? ""] = links;
    const [, line = "1"] = /^[^:]*:(\d+)/.exec(first) ?? [];
    return {
      file: first.split(":")[0] ?? first,
      line: Number(line),
      rule,
      message: `${noun} import each other: ${members.join(" <-> ")}\n    ${links.join("\n    ")}`,
    };
  });
}

/** @param {import("./parse-file.mjs").ImportKind} kind */
function describeKind(kind) {
  const words = {
    import: "import",
    type: "type import",
    "side-effect": "side-effect import",
    "export-from": "export from",
    dynamic: "dynamic import()",
    require: "require",
  };
  return words[kind];
}

/** @param {string} dir @returns {string[]} */
function listTs(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listTs(path);
      return path.endsWith(".ts") ? [path] : [];
    });
}
