/** Which top-level properties differ, and whether a difference replaces the resource. */

/** Equality as CloudFormation compares resolved properties: scalars by their text (`30` = `"30"`). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" && typeof b !== "object") return String(a) === String(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]))
    );
  }
  if (typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Top-level property names whose values differ (added, removed or changed). */
export function changedProperties(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !sameValue(before[name], after[name]));
}

/**
 * Whether a change of top-level property `name` replaces the resource: the property itself is
 * create-only, or a create-only path under it (`A.B`) has a different value.
 */
export function replacesOn(
  name: string,
  replaceOn: readonly string[],
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): boolean {
  return replaceOn.some((path) => {
    if (path === name) return true;
    if (!path.startsWith(`${name}.`)) return false;
    return !sameValue(at(before, path), at(after, path));
  });
}

/** Whether any create-only path starts at this property (its replacement is then possible). */
export function mayReplaceOn(name: string, replaceOn: readonly string[]): boolean {
  return replaceOn.some((path) => path === name || path.startsWith(`${name}.`));
}

function at(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
