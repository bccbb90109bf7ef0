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
import { withEsbuildService } from "./esbuild-service.ts";

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
  options: RoutesModuleOptions = {},
): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  if (functionNames.length === 0) return modules;
  const source = readFileSync(configFile, "utf8");
  const loader = /\.[mc]?tsx?$/.test(configFile) ? "ts" : "js";
  // No output format: esbuild keeps the module syntax as written (`export default` stays).
  const { code, map } = await withEsbuildService(() =>
    transform(source, {
      loader,
      target: "esnext",
      ...(options.sourceMap ? { sourcemap: "external", sourcefile: configFile } : {}),
    }),
  );
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
    if (!routes) continue;
    const cut = `${rest}\nexport default (${code.slice(routes.start, routes.end)});\n`;
    modules.set(name, options.sourceMap ? (inPlace(code, exported, routes, map) ?? cut) : cut);
  }
  return modules;
}

export interface RoutesModuleOptions {
  /**
   * Keep the routing function on its own lines and chain a source map to the definition, so a
   * stack trace through it names the definition's file and line (dev). Off for deployable
   * bundles: the map would hold this machine's absolute path of the definition.
   * @default false
   */
  readonly sourceMap?: boolean;
}

/**
 * The module with the default export blanked out except the routes expression, which becomes the
 * new default export where it stands: every line keeps its number, and the transform's source map
 * (inlined; esbuild chains it) leads back to the definition as written.
 */
function inPlace(code: string, exported: Span, routes: Span, map: string): string | undefined {
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  // `export default (` takes the place of the statement's own first characters (esbuild prints
  // `export default defineApp({` or `export default {` on one line), so no character moves:
  // text inserted on the routes' line would shift every column after it, and a stack frame's
  // column maps through the segment before it, landing off by a few characters.
  const opening = "export default (";
  const head = code.slice(exported.start, exported.start + opening.length);
  if (
    !head.startsWith("export default ") ||
    head.includes("\n") ||
    exported.start + opening.length > routes.start
  )
    return undefined;
  const module =
    code.slice(0, exported.start) +
    opening +
    blank(code.slice(exported.start + opening.length, routes.start)) +
    code.slice(routes.start, routes.end) +
    // After the expression: only blanked text follows on its line, so nothing there moves.
    ");" +
    blank(code.slice(routes.end, exported.end)) +
    code.slice(exported.end);
  return `${module}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`;
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
