/**
 * The part of the definition a function's bundle needs: its routing function. Bundling the whole
 * definition module would put every setting of every component into every bundle that routes
 * with a function, so any edit to the definition would change those zips (and redeploy those
 * functions). This cuts the module down to its imports and other top-level statements (helpers a
 * routing function may call; esbuild drops what is unused) plus `export default <that function's
 * routes expression>`. The expression keeps its source text and its scope, so closures over
 * module-level bindings hold; nothing is stringified from a live function.
 *
 * Only the shapes a definition is written in are followed: `export default defineApp({...})` or
 * `export default {...}` with literal `functions` and `routes` keys. Anything else returns
 * undefined and the caller bundles the whole definition, as before.
 */
import { readFileSync } from "node:fs";
import { type Node, parse } from "acorn";
import { transform } from "esbuild";

interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * For each named function, a module whose default export is its routes; a function whose routes
 * cannot be found is absent. The definition is read, transformed and parsed once for all of them.
 */
export async function routesModules(
  configFile: string,
  functionNames: readonly string[],
): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  if (functionNames.length === 0) return modules;
  const source = readFileSync(configFile, "utf8");
  const loader = /\.[mc]?tsx?$/.test(configFile) ? "ts" : "js";
  // No output format: esbuild keeps the module syntax as written (`export default` stays).
  const { code } = await transform(source, { loader, target: "esnext" });
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "module" });
  } catch {
    return modules;
  }
  const body = (program as unknown as { body: AstNode[] }).body;
  const exported = body.find((n) => n.type === "ExportDefaultDeclaration");
  const app = exported?.declaration && appObject(exported.declaration);
  if (!exported || !app) return modules;
  const rest = code.slice(0, exported.start) + code.slice(exported.end);
  const functions = property(app, "functions");
  for (const name of functionNames) {
    const routes = property(property(functions, name), "routes");
    if (routes) modules.set(name, `${rest}\nexport default (${code.slice(routes.start, routes.end)});\n`);
  }
  return modules;
}

interface AstNode extends Span {
  readonly type: string;
  readonly declaration?: AstNode;
  readonly arguments?: readonly AstNode[];
  readonly properties?: readonly AstNode[];
  readonly key?: AstNode & { name?: string; value?: unknown };
  readonly value?: AstNode;
  readonly computed?: boolean;
  readonly kind?: string;
}

/** The object literal of `defineApp({...})` or a bare `{...}`. */
function appObject(node: AstNode): AstNode | undefined {
  if (node.type === "ObjectExpression") return node;
  const first = node.type === "CallExpression" ? node.arguments?.[0] : undefined;
  return first?.type === "ObjectExpression" ? first : undefined;
}

/** The value of a plain `key: value` property of an object literal. */
function property(object: AstNode | undefined, key: string): AstNode | undefined {
  if (object?.type !== "ObjectExpression") return undefined;
  for (const p of object.properties ?? []) {
    if (p.type !== "Property" || p.computed || p.kind !== "init") continue;
    const name = p.key?.type === "Identifier" ? p.key.name : p.key?.value;
    if (name === key) return p.value;
  }
  return undefined;
}
