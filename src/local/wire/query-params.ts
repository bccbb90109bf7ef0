/**
 * The AWS query protocol's parameters (`Action=…&Attribute.1.Name=…&Attribute.1.Value=…`) as a
 * tree, so flattened lists and maps can be read by name: `Attribute.1.Name` becomes
 * `{ Attribute: { "1": { Name: "…" } } }`.
 *
 * Every node is a null-prototype object: a parameter named `__proto__.X` or `constructor.Y` is a
 * key like any other and can never reach Object.prototype (issue 11: one form post made every
 * later SendMessage in the process wait 900 s). Readers use `field`, which sees own keys only.
 */
export type QueryNode = string | { [key: string]: QueryNode };
export type QueryTree = { [key: string]: QueryNode };

/** An empty map whose keys are data: no inherited `__proto__` setter, no `constructor`. */
export function dataMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

export function queryTree(params: URLSearchParams): QueryTree {
  const root = dataMap<QueryNode>();
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
        const created = dataMap<QueryNode>();
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

/** The member `name` of a node: own keys only, so `constructor` or `toString` is never inherited. */
export function field(node: QueryNode | undefined, name: string): QueryNode | undefined {
  return node === undefined || typeof node === "string" || !Object.hasOwn(node, name)
    ? undefined
    : node[name];
}

export function asString(node: QueryNode | undefined): string | undefined {
  return typeof node === "string" ? node : undefined;
}

/** `table[key]` for a key from the wire: own entries only, so `__proto__` or `toString` finds nothing. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
