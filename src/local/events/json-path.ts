/**
 * The JSON paths EventBridge's InputPath and InputPathsMap take, in the subset validation allows:
 * `$`, then `.field` and `[index]` steps. A path to nothing yields undefined.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  let node: unknown = value;
  for (const step of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== "object") return undefined;
    const key = step[1] ?? Number(step[2]);
    node = (node as Record<string | number, unknown>)[key];
    if (node === undefined) return undefined;
  }
  return node;
}
