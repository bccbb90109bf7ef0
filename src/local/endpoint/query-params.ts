/**
 * The AWS query protocol's parameters (`Action=…&Attribute.1.Name=…&Attribute.1.Value=…`) as a
 * tree, so flattened lists and maps can be read by name: `Attribute.1.Name` becomes
 * `{ Attribute: { "1": { Name: "…" } } }`.
 */
export type QueryNode = string | { [key: string]: QueryNode };
export type QueryTree = { [key: string]: QueryNode };

export function queryTree(params: URLSearchParams): QueryTree {
  const root: QueryTree = {};
  for (const [key, value] of params) {
    const parts = key.split(".");
    let node: QueryTree = root;
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1) {
        node[part] = value;
        break;
      }
      const next = node[part];
      if (typeof next === "object") node = next;
      else {
        const created: QueryTree = {};
        node[part] = created;
        node = created;
      }
    }
  }
  return root;
}

/** The members of a flattened list (`Name.1`, `Name.2`, …) in index order. */
export function indexed(node: QueryNode | undefined): QueryNode[] {
  if (node === undefined || typeof node === "string") return [];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k] as QueryNode);
}

export function field(node: QueryNode | undefined, name: string): QueryNode | undefined {
  return node === undefined || typeof node === "string" ? undefined : node[name];
}

export function asString(node: QueryNode | undefined): string | undefined {
  return typeof node === "string" ? node : undefined;
}
