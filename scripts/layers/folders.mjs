// Folders as the unit of design. A layer's top-level folder, with everything under it, is one
// unit: `local/sqs` includes `local/sqs/wire` (a surface's wire protocol is part of the surface),
// `model/validate` is one, `cli/commands` is one. A file directly in a layer is a unit of its own:
// a layer's loose files are its kernel (`model/app-spec.ts`, `model/limits.ts`) or its composition
// root (`local/local-cloud.ts`, `cli/main.ts`), and each is judged by what it imports, so the
// composition root may import the folders it composes while they import the kernel. Units must
// not form a cycle, type-only imports included: a type names the other folder as surely as a value
// does, and a reader who opens one folder must be able to stop at what it imports. Cycles inside a
// unit are judged file by file (check-tree.mjs).

/** @param {string} path path relative to the root, e.g. `local/sqs/wire/sqs-json.ts` */
export function unitOf(path) {
  const parts = path.split("/");
  return parts.length >= 3 ? `${parts[0]}/${parts[1]}` : path;
}

/**
 * The local cloud's folders are rooms: one reaches into another only through the file where the
 * room states what it offers, its `index.ts`.
 * @param {string} importer @param {string} target paths relative to the root
 * @returns {string | undefined} the room whose internals `target` belongs to, when `importer` is outside it
 */
export function reachedRoom(importer, target) {
  const parts = target.split("/");
  if (parts[0] !== "local" || parts.length < 3) return undefined;
  const room = `${parts[0]}/${parts[1]}`;
  if (importer.startsWith(`${room}/`)) return undefined;
  return target === `${room}/index.ts` ? undefined : room;
}

/**
 * Strongly connected components of more than one node (Tarjan): folders or files that import
 * each other, however indirectly.
 * @param {Map<string, Map<string, string>>} edges unit -> (unit -> an import that makes the edge)
 * @returns {string[][]}
 */
export function cycles(edges) {
  let next = 0;
  /** @type {Map<string, number>} */ const index = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {string[]} */ const stack = [];
  const onStack = new Set();
  /** @type {string[][]} */ const found = [];
  /** @param {string} unit */
  function visit(unit) {
    index.set(unit, next);
    low.set(unit, next++);
    stack.push(unit);
    onStack.add(unit);
    for (const to of edges.get(unit)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(unit, Math.min(low.get(unit) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(unit, Math.min(low.get(unit) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(unit) !== index.get(unit)) return;
    /** @type {string[]} */ const component = [];
    let member;
    do {
      member = /** @type {string} */ (stack.pop());
      onStack.delete(member);
      component.push(member);
    } while (member !== unit);
    if (component.length > 1) found.push(component.sort());
  }
  for (const unit of [...edges.keys()].sort()) if (!index.has(unit)) visit(unit);
  return found;
}
