import { LIMITS } from "../../../model/limits.ts";
import type { OperandNode, PathNode } from "./ast.ts";
import type { AttributeValue, Item } from "./attribute-value.ts";
import { type ExpressionKind, invalidExpression } from "./errors.ts";
import type { Placeholders } from "./placeholders.ts";
import { isReservedWord } from "./reserved-words.ts";

/** A document path with its placeholders resolved: attribute names and list indexes. */
export type DocumentPath = readonly (string | number)[];

/**
 * Resolves a parsed path: `#alias` through the request's names, bare names checked against the
 * reserved words. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html
 */
export function resolvePath(kind: ExpressionKind, node: PathNode, placeholders: Placeholders): DocumentPath {
  const path = node.elements.map((element) => {
    if (element.type === "index") return element.index;
    if (element.type === "alias") return placeholders.name(kind, element.name);
    if (isReservedWord(element.name)) {
      throw invalidExpression(
        kind,
        `Attribute name is a reserved keyword; reserved keyword: ${element.name}`,
      );
    }
    return element.name;
  });
  const depth = LIMITS.dynamodbExpressions.nestingDepth.max;
  if (path.length > depth + 1) {
    throw invalidExpression(
      kind,
      `The document path has too many nesting levels; nesting levels: ${path.length - 1}`,
    );
  }
  return path;
}

/** Refuses the first reserved word used as a bare name in any of the paths among `operands`. */
export function checkReservedWords(kind: ExpressionKind, operands: readonly OperandNode[]): void {
  for (const node of operands) {
    if (node.type !== "path") continue;
    for (const element of node.elements) {
      if (element.type === "name" && isReservedWord(element.name)) {
        throw invalidExpression(
          kind,
          `Attribute name is a reserved keyword; reserved keyword: ${element.name}`,
        );
      }
    }
  }
}

/** AWS's rendering of a path in messages: `[a, b, [0]]`. */
export function pathText(path: DocumentPath): string {
  return `[${path.map((step) => (typeof step === "number" ? `[${step}]` : step)).join(", ")}]`;
}

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function valueAt(item: Item, path: DocumentPath): AttributeValue | undefined {
  let current: AttributeValue | undefined;
  for (const [i, step] of path.entries()) {
    if (i === 0) {
      current = Object.hasOwn(item, step as string) ? item[step as string] : undefined;
    } else if (current === undefined) {
      return undefined;
    } else if (typeof step === "number") {
      current = "L" in current ? current.L[step] : undefined;
    } else {
      current = "M" in current && Object.hasOwn(current.M, step) ? current.M[step] : undefined;
    }
  }
  return current;
}

/**
 * Refuses two paths of one expression that overlap (one is a prefix of the other) or conflict
 * (one indexes a list where the other names a map key), with AWS's messages.
 */
export function checkDistinctPaths(kind: ExpressionKind, paths: readonly DocumentPath[]): void {
  for (const [i, second] of paths.entries()) {
    for (const first of paths.slice(0, i)) {
      let step = 0;
      for (; step < first.length && step < second.length; step++) {
        if (typeof first[step] !== typeof second[step]) {
          throw invalidExpression(
            kind,
            `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(first)}, path two: ${pathText(second)}`,
          );
        }
        if (first[step] !== second[step]) break;
      }
      if (step === first.length || step === second.length) {
        throw invalidExpression(
          kind,
          `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(first)}, path two: ${pathText(second)}`,
        );
      }
    }
  }
}
