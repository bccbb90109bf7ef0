/**
 * PartiQL's result shape for a SELECT list: each selected path becomes one top-level attribute
 * named by the path's last attribute name and any list indexes after it (`m.k` → `k`,
 * `l[1]` → `l[1]`, `m.arr[0].x` → `x`), as DynamoDB answers (checked against DynamoDB Local 3.3.1).
 */

import { newAttributeMap } from "../expressions/attribute-value.ts";
import type { AttributeValue, Item } from "../expressions/index.ts";
import type { Path } from "./ast.ts";

function resultName(path: Path): string {
  let name = "";
  for (const step of path) name = step.kind === "name" ? step.name : `${name}[${step.index}]`;
  return name;
}

function valueAt(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = { M: item };
  for (const step of path) {
    if (current === undefined) return undefined;
    if (step.kind === "name")
      current = "M" in current && Object.hasOwn(current.M, step.name) ? current.M[step.name] : undefined;
    else current = "L" in current ? current.L[step.index] : undefined;
  }
  return current;
}

export function shapeItem(item: Item, projection: readonly Path[] | undefined): Item {
  if (projection === undefined) return item;
  const shaped = newAttributeMap();
  for (const path of projection) {
    const value = valueAt(item, path);
    if (value !== undefined) shaped[resultName(path)] = value;
  }
  return shaped;
}
