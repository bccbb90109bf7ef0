/**
 * Paths as the Amazon States Language uses them with the JSONPath query language
 * (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html):
 * `$` is the data a field works on (the state's input, a task's result, ...), `$$` the Context
 * object, and `$name` a workflow variable
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 *
 * A *reference path* (`$.a.b`, `$['a b']`, `$.list[0]`) names one node; it is walked directly,
 * which is also what AWS's "No results for path: $['a']['b']" text spells. Any other path
 * (wildcards, slices, filters, `..`) goes to `jsonpath-plus` and yields an array, possibly empty,
 * as AWS's JSONPath does for an indefinite path.
 */
import { jsonPath } from "../../../lazy-packages.ts";
import type { ContextObject, Variables } from "../query-language.ts";
import { StatesError } from "../states-error.ts";

/** What a path may read: `$`, `$$` and `$name`. */
export interface PathData {
  readonly data: unknown;
  readonly context: ContextObject;
  readonly variables: Variables;
}

/** One step of a reference path: an object member or an array index. */
export type PathSegment = string | number;

interface ParsedPath {
  readonly root: "data" | "context" | { readonly variable: string };
  /** The path below its root, written from `$` (what jsonpath-plus evaluates). */
  readonly below: string;
  /** Set when the path is a reference path. */
  readonly segments?: readonly PathSegment[];
}

export type PathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: PathResult = { found: false };
// A variable's name is a Unicode identifier (ID_Start, then ID_Continue), the rule Assign checks
// (LIMITS.stepFunctionsLanguage.variableName; https://states-language.net/spec.html#state-machine-variables):
// `$café.city` reads the variable `café`, and `$_x` is no variable.
const VARIABLE = /^\$(\p{ID_Start}\p{ID_Continue}*)/u;
// Paths repeat in every execution of a definition; parse each once.
const parsed = new Map<string, ParsedPath>();

/** Evaluates a path against `$`, `$$` or a variable; `found: false` when a reference path selects nothing. */
export function evaluatePath(path: string, from: PathData): PathResult {
  const p = parsePath(path);
  let root: unknown;
  if (p.root === "data") root = from.data;
  else if (p.root === "context") root = from.context;
  else {
    if (!Object.hasOwn(from.variables, p.root.variable)) return NOT_FOUND;
    root = from.variables[p.root.variable];
  }
  if (p.segments) return walk(root, p.segments);
  // Indefinite path: a list of every match (jsonpath-plus's safe evaluator runs filter scripts).
  let values: unknown[] | undefined;
  try {
    values = jsonPath()({ path: p.below, json: root as object, wrap: true, eval: "safe" }) as
      | unknown[]
      | undefined;
  } catch (e) {
    throw new StatesError(
      "States.Runtime",
      `Invalid path '${path}': ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  return { found: true, value: values ?? [] };
}

/** The reference path's steps below `$`, or undefined when the path is not a reference path. */
export function referenceSegments(path: string): readonly PathSegment[] | undefined {
  const p = parsePath(path);
  return p.root === "data" ? p.segments : undefined;
}

/** AWS's normalised spelling of a path, as its errors quote it: `$['a'][0]`. */
export function normalisedPath(path: string): string {
  const segments = parsePath(path).segments;
  if (!segments) return path;
  const prefix = path.startsWith("$$") ? "$$" : "$";
  return prefix + segments.map((s) => (typeof s === "number" ? `[${s}]` : `['${s}']`)).join("");
}

/** AWS's error for a path that selects nothing in InputPath, OutputPath, ItemsPath and the like. */
export function noResults(path: string): StatesError {
  return new StatesError(
    "States.Runtime",
    `Invalid path '${path}' : No results for path: ${normalisedPath(path)}`,
  );
}

/** Evaluates a path that must select something (InputPath, OutputPath, ItemsPath, SecondsPath, ...). */
export function requirePath(path: string, from: PathData): unknown {
  const result = evaluatePath(path, from);
  if (!result.found) throw noResults(path);
  return result.value;
}

function walk(root: unknown, segments: readonly PathSegment[]): PathResult {
  let node = root;
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (!Array.isArray(node)) return NOT_FOUND;
      const index = segment < 0 ? node.length + segment : segment;
      if (index < 0 || index >= node.length) return NOT_FOUND;
      node = node[index];
    } else {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return NOT_FOUND;
      if (!Object.hasOwn(node, segment)) return NOT_FOUND;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: node };
}

function parsePath(path: string): ParsedPath {
  const cached = parsed.get(path);
  if (cached) return cached;
  let result: ParsedPath;
  if (path.startsWith("$$")) result = withSegments("context", `$${path.slice(2)}`);
  else {
    const variable = VARIABLE.exec(path);
    result = variable?.[1]
      ? withSegments({ variable: variable[1] }, `$${path.slice(variable[0].length)}`)
      : withSegments("data", path);
  }
  parsed.set(path, result);
  return result;
}

function withSegments(root: ParsedPath["root"], below: string): ParsedPath {
  const segments = parseReference(below);
  return segments ? { root, below, segments } : { root, below };
}

/**
 * Parses `$` followed by `.name`, `['name']`, `["name"]` and `[index]` steps; anything else
 * (`*`, `..`, slices, unions, filters) makes it indefinite (undefined).
 */
function parseReference(path: string): PathSegment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      let j = i + 1;
      while (j < path.length && !".[]*() '\"@?,:".includes(path[j] as string)) j++;
      if (j === i + 1) return undefined;
      segments.push(path.slice(i + 1, j));
      i = j;
    } else if (c === "[") {
      const step = bracketStep(path, i);
      if (!step) return undefined;
      segments.push(step.segment);
      i = step.end;
    } else return undefined;
  }
  return segments;
}

function bracketStep(path: string, open: number): { segment: PathSegment; end: number } | undefined {
  const quote = path[open + 1];
  if (quote === "'" || quote === '"') {
    let name = "";
    let i = open + 2;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === "\\" && i + 1 < path.length) i++;
      name += path[i];
      i++;
    }
    if (path[i] !== quote || path[i + 1] !== "]") return undefined;
    return { segment: name, end: i + 2 };
  }
  const close = path.indexOf("]", open);
  const digits = path.slice(open + 1, close);
  if (close < 0 || !/^-?\d+$/.test(digits)) return undefined;
  return { segment: Number(digits), end: close + 1 };
}
