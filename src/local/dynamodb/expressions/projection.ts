import { type AttributeValue, type Item, newAttributeMap } from "./attribute-value.ts";
import { checkDistinctPaths, type DocumentPath, resolvePath } from "./document-path.ts";
import { parseProjectionTree } from "./parse.ts";
import type { Placeholders } from "./placeholders.ts";

/**
 * Projection expressions: the attributes (top-level or nested) a read returns.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
export interface CompiledProjection {
  readonly expression: string;
  readonly paths: readonly DocumentPath[];
  /** The item with only the projected paths; list elements keep their order, compacted. */
  project(item: Item): Item;
}

/** The projected paths as a tree: a leaf (`true`) takes the whole value. */
type Selection = Map<string | number, Selection | true>;

function selectionOf(paths: readonly DocumentPath[]): Selection {
  const root: Selection = new Map();
  for (const path of paths) {
    let node = root;
    for (const [i, step] of path.entries()) {
      if (i === path.length - 1) node.set(step, true);
      else {
        const next = node.get(step);
        const child = next instanceof Map ? next : new Map();
        node.set(step, child);
        node = child;
      }
    }
  }
  return root;
}

function pick(value: AttributeValue, selection: Selection): AttributeValue | undefined {
  if ("M" in value) {
    const out = newAttributeMap();
    for (const [step, next] of selection) {
      if (typeof step !== "string" || !Object.hasOwn(value.M, step)) continue;
      const picked = next === true ? value.M[step] : pick(value.M[step] as AttributeValue, next);
      if (picked !== undefined) out[step] = picked;
    }
    return Object.keys(out).length === 0 ? undefined : { M: out };
  }
  if ("L" in value) {
    const indexes = [...selection.keys()]
      .filter((step): step is number => typeof step === "number")
      .sort((a, b) => a - b);
    const out: AttributeValue[] = [];
    for (const index of indexes) {
      const element = value.L[index];
      const next = selection.get(index);
      if (element === undefined || next === undefined) continue;
      const picked = next === true ? element : pick(element, next);
      if (picked !== undefined) out.push(picked);
    }
    return out.length === 0 ? undefined : { L: out };
  }
  return undefined;
}

export function compileProjection(expression: string, placeholders: Placeholders): CompiledProjection {
  const paths = parseProjectionTree(expression).map((node) =>
    resolvePath("ProjectionExpression", node, placeholders),
  );
  checkDistinctPaths("ProjectionExpression", paths);
  const selection = selectionOf(paths);
  return {
    expression,
    paths,
    project(item) {
      return (pick({ M: item }, selection) as { M: Item } | undefined)?.M ?? newAttributeMap();
    },
  };
}
