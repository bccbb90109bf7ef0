// Enforces the architecture's table (docs/architecture.md; the rules live in scripts/layers/):
// which layer imports which, the npm packages and Node built-ins each layer may use, no computed
// import() or require, one local-cloud folder reaching another only through its index.ts, no
// cycle between folders or between files, and no literal partition outside the partition rule.
// Static, type-only, side-effect, `export ... from` and dynamic imports are all judged alike.
//
//   node scripts/check-layers.mjs [root]   (root defaults to src; tests point it at fixtures)
import { checkTree } from "./layers/check-tree.mjs";

const root = process.argv[2] ?? "src";
const { files, problems } = checkTree(root);
if (problems.length > 0) {
  const lines = problems.map(
    (problem) => `${problem.file}:${problem.line}: [${problem.rule}] ${problem.message}`,
  );
  console.error(`layering violations (${problems.length}):\n${lines.join("\n")}`);
  process.exit(1);
}
console.log(`layering ok: ${files} files`);
