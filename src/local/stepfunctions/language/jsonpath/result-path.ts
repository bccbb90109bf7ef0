/**
 * ResultPath: where a state's result goes in its raw input
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html).
 * `null` discards the result and keeps the input, `$` (the default) replaces the input, and any
 * other reference path puts the result at that node, creating the objects on the way; a step
 * through a value that is not an object (or an index outside an array) cannot be applied, which
 * is States.ResultPathMatchFailure. The input itself is never changed: the nodes on the path are
 * copied, the rest shared.
 */
import { StatesError } from "../states-error.ts";
import { type PathSegment, referenceSegments } from "./paths.ts";

export function applyResultPath(input: unknown, resultPath: unknown, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  const path = String(resultPath);
  const segments = referenceSegments(path);
  if (!segments) {
    throw new StatesError("States.Runtime", `ResultPath '${path}' is not a reference path`);
  }
  const place = (node: unknown, at: number): unknown => {
    if (at === segments.length) return result;
    const segment = segments[at] as PathSegment;
    if (typeof segment === "number") {
      if (!Array.isArray(node) || segment < 0 || segment >= node.length) throw mismatch(path, input);
      const copy = node.slice();
      copy[segment] = place(node[segment], at + 1);
      return copy;
    }
    if (node === null || typeof node !== "object" || Array.isArray(node)) throw mismatch(path, input);
    const object = node as Record<string, unknown>;
    const child = Object.hasOwn(object, segment) ? object[segment] : {};
    return { ...object, [segment]: place(child, at + 1) };
  };
  return place(input, 0);
}

function mismatch(path: string, node: unknown): StatesError {
  return new StatesError(
    "States.ResultPathMatchFailure",
    `Unable to apply ReferencePath ${path} to input ${JSON.stringify(node) ?? "null"}`,
  );
}
