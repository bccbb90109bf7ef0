/**
 * The npm packages a bundle imports but does not hold (what esbuild left external: by default the
 * AWS SDK, which Lambda's runtime provides and a server must install). Read from the syntax tree,
 * so a package named in a string or a comment does not count.
 */
import { type Node, parse } from "acorn";

type AstNode = Node & Record<string, unknown>;

/** Package names (no subpath) of the bundle's static and dynamic imports, re-exports and require() calls, sorted. */
export function importedPackages(source: string): string[] {
  const tree = parse(source, { ecmaVersion: "latest", sourceType: "module", allowHashBang: true });
  const found = new Set<string>();
  // An explicit stack: a large bundle nests deeper than recursion would like.
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (!isNode(value)) continue;
    const specifier = importSpecifier(value);
    const name = specifier === undefined ? undefined : packageName(specifier);
    if (name !== undefined) found.add(name);
    for (const [key, child] of Object.entries(value)) {
      if (key !== "loc" && typeof child === "object" && child !== null) stack.push(child);
    }
  }
  return [...found].sort();
}

function isNode(value: unknown): value is AstNode {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

/** The module a node loads, when it names one with a string literal. */
function importSpecifier(node: AstNode): string | undefined {
  switch (node.type) {
    case "ImportDeclaration":
    case "ExportAllDeclaration":
    case "ExportNamedDeclaration":
    case "ImportExpression":
      return literal(node.source);
    case "CallExpression": {
      // `require` from the bundle's createRequire banner; `__require` is esbuild's wrapper of it.
      const callee = node.callee as AstNode;
      const args = node.arguments as unknown[];
      if (callee.type !== "Identifier" || args.length !== 1) return undefined;
      const name = (callee as AstNode & { name: string }).name;
      return name === "require" || name === "__require" ? literal(args[0]) : undefined;
    }
    default:
      return undefined;
  }
}

function literal(node: unknown): string | undefined {
  if (!isNode(node) || node.type !== "Literal") return undefined;
  const value = (node as AstNode & { value: unknown }).value;
  return typeof value === "string" ? value : undefined;
}

/** `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`; relative, absolute, `node:` and URLs → none. */
export function packageName(specifier: string): string | undefined {
  if (/^[./]/.test(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return name === undefined || name === "" || (specifier.startsWith("@") && parts.length < 2)
    ? undefined
    : name;
}
