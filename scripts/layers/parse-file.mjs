// Reads one TypeScript file into the facts the layering rules judge: every module it names
// (static, type-only, side-effect, re-export, dynamic import(), require/createRequire) and every
// string that spells a literal partition. The TypeScript parser is used instead of regular
// expressions so that comments, JSDoc and strings that merely look like imports are never counted.
import ts from "typescript";

/** @typedef {"import" | "type" | "side-effect" | "export-from" | "dynamic" | "require"} ImportKind */
/** @typedef {{ specifier: string, kind: ImportKind, line: number }} ImportFact */

const partitionPattern = /arn:aws:|amazonaws\.com/;

/** @param {string} fileName @param {string} text */
export function parseFile(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  /** @type {ImportFact[]} */
  const imports = [];
  /** @type {{ text: string, line: number }[]} */
  const partitions = [];
  const lineOf = (/** @type {ts.Node} */ node) =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (
    /** @type {ts.Node} */ node,
    /** @type {string} */ specifier,
    /** @type {ImportKind} */ kind,
  ) => imports.push({ specifier, kind, line: lineOf(node) });

  /** @param {ts.Node} node */
  function visit(node) {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const kind = !clause ? "side-effect" : clause.isTypeOnly || allTypeOnly(clause) ? "type" : "import";
      add(node, node.moduleSpecifier.text, kind);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly ? "type" : "export-from");
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      add(node, ts.isStringLiteral(expression) ? expression.text : "<computed>", "require");
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const named = first && ts.isStringLiteralLike(first) ? first.text : "<computed>";
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, named, "dynamic");
      else if (ts.isIdentifier(node.expression) && node.expression.text === "require")
        add(node, named, "require");
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) add(node, literal.text, "type");
    }
    if (ts.isIdentifier(node) && node.text === "createRequire")
      add(node, "node:module#createRequire", "require");
    if (
      (ts.isStringLiteralLike(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      partitionPattern.test(node.text)
    )
      partitions.push({ text: node.text, line: lineOf(node) });
    ts.forEachChild(node, visit);
  }
  visit(source);
  return { imports, partitions };
}

/** An import whose every named binding says `type` erases to nothing at run time. */
function allTypeOnly(/** @type {ts.ImportClause} */ clause) {
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return Boolean(
    bindings &&
      ts.isNamedImports(bindings) &&
      bindings.elements.length > 0 &&
      bindings.elements.every((element) => element.isTypeOnly),
  );
}

/** The npm package a bare specifier names: `@scope/name` for a scoped one, else its first segment. */
export function packageOf(/** @type {string} */ specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? "");
}
