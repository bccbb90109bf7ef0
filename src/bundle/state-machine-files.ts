/**
 * Reads the state machines' definitions for the model, which may not read files: a `definition`
 * that is a string is a path relative to the app root, refused when it leaves the root (`..`, an
 * absolute path, or a symbolic link out of it), read and JSON-parsed. Every document, read or
 * written inline, is then checked by asl-validator (the Amazon States Language itself). Returns
 * the definition with each file replaced by `{ definition: <document>, definitionFile }`, and the
 * issues found, each with the field path and, for a state, the state's path.
 */
import { readFileSync, realpathSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { AslValidatorError, default as aslValidator } from "asl-validator";
import type { AppSpec } from "../model/app-spec.ts";
import { ConfigError, type ConfigIssue } from "../model/config-error.ts";
import { arn } from "../model/naming.ts";
import { normaliseApp } from "../model/normalise.ts";
import { unsafeDefinitionPath } from "../model/validate/state-machines.ts";

export interface LoadedStateMachines {
  /** The definition, with each definition file replaced by its document (a shallow copy when any was). */
  readonly definition: unknown;
  /** Problems with the files and the documents' language. */
  readonly issues: readonly ConfigIssue[];
  /** Absolute paths of the files read, for the dev loop to watch. */
  readonly files: readonly string[];
  /** `stateMachines.<name>.definition` of each file that could not be read: the model's issue there repeats ours. */
  readonly unread: ReadonlySet<string>;
}

type Fields = Record<string, unknown>;

type Validator = typeof aslValidator;

export async function loadStateMachineFiles(dir: string, definition: unknown): Promise<LoadedStateMachines> {
  const issues: ConfigIssue[] = [];
  const files: string[] = [];
  const unread = new Set<string>();
  if (!isObject(definition) || !isObject(definition.stateMachines)) {
    return { definition, issues, files, unread };
  }
  // asl-validator (and the JSON Schema compiler under it) loads only for an app with state machines.
  const validator = (await import("asl-validator")).default;
  const functions = isObject(definition.functions) ? Object.keys(definition.functions) : [];
  const machines: Fields = {};
  for (const [name, machine] of Object.entries(definition.stateMachines)) {
    machines[name] = machine;
    if (!isObject(machine)) continue;
    const path = `stateMachines.${name}.definition`;
    let document = machine.definition;
    if (typeof document === "string") {
      const file = document;
      const read = readDefinitionFile(dir, file);
      if ("issue" in read) {
        issues.push({ path, value: file, ...read.issue });
        unread.add(path);
        continue;
      }
      files.push(read.absolute);
      document = read.document;
      machines[name] = { ...machine, definition: document, definitionFile: file };
    }
    if (isObject(document)) issues.push(...languageIssues(validator, path, document, functions));
  }
  return { definition: { ...definition, stateMachines: machines }, issues, files, unread };
}

type Read = { document: unknown; absolute: string } | { issue: Omit<ConfigIssue, "path" | "value"> };

function readDefinitionFile(dir: string, file: string): Read {
  const allowed = "a path relative to the app root, inside it, to a JSON file";
  const unsafe = unsafeDefinitionPath(file);
  if (unsafe !== undefined)
    return {
      issue: { message: unsafe, allowed, fix: `write a path inside the app, e.g. "src/flow.asl.json"` },
    };
  let absolute: string;
  try {
    absolute = realpathSync(join(dir, file));
  } catch {
    return {
      issue: {
        message: `the definition file "${file}" does not exist in ${dir}`,
        allowed,
        fix: "create the file, or correct the path",
      },
    };
  }
  const root = realpathSync(dir);
  const inside = relative(root, absolute);
  if (inside.startsWith(`..${sep}`) || inside === ".." || inside === "") {
    return {
      issue: {
        message: `the definition file "${file}" resolves outside the app root (${absolute})`,
        allowed,
        fix: "keep the definition file inside the app's folder",
      },
    };
  }
  let text: string;
  try {
    text = readFileSync(absolute, "utf8");
  } catch (error) {
    return {
      issue: {
        message: `the definition file "${file}" could not be read: ${(error as Error).message}`,
        allowed,
        fix: "make it a readable file",
      },
    };
  }
  try {
    return { document: JSON.parse(text) as unknown, absolute };
  } catch (error) {
    return {
      issue: {
        message: `the definition file "${file}" is not JSON: ${(error as Error).message}`,
        allowed: "an Amazon States Language document as JSON",
        fix: "fix the JSON syntax",
      },
    };
  }
}

/**
 * asl-validator's findings, on a copy (it annotates states). A Task's Resource may be one of the
 * app's functions by its Sluice name, which asl-validator would refuse as no ARN: the copy
 * carries a Lambda ARN there instead, so the rest of the document is still checked.
 */
function languageIssues(
  validator: Validator,
  path: string,
  document: Fields,
  functions: readonly string[],
): ConfigIssue[] {
  // The model reports a document without States; asl-validator would throw on some such shapes.
  if (!isObject(document.States)) return [];
  try {
    const copy = structuredClone(document);
    substituteFunctionNames(copy, new Set(functions));
    const { errors } = validator(copy, { checkPaths: true, checkArn: true });
    return errors.map((error) => toIssue(path, document, error));
  } catch (error) {
    return [
      {
        path,
        value: "(object)",
        message: `asl-validator could not read the definition: ${(error as Error).message}`,
        allowed: "Amazon States Language (https://states-language.net/spec.html)",
        fix: "check that every States value is an object of states",
      },
    ];
  }
}

function toIssue(path: string, document: Fields, error: AslValidatorError): ConfigIssue {
  const pointer = error.schemaError?.instancePath ?? "";
  const segments = pointer
    .split("/")
    .filter((s) => s !== "")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const at = segments.reduce(
    (acc, segment) => (/^\d+$/.test(segment) ? `${acc}[${segment}]` : `${acc}.${segment}`),
    path,
  );
  const statePath = statePathOf(segments);
  const where = statePath.length === 0 ? "" : `state "${statePath.join(" → ")}": `;
  return {
    path: at,
    value: valueAt(document, segments),
    message: `${where}${error.Message} (asl-validator ${error["Error code"]})`,
    allowed: "Amazon States Language (https://states-language.net/spec.html)",
    fix: "correct the definition as the message says",
  };
}

/** The states a JSON pointer passes through: a name after each `States`, `branch <i>` after `Branches`. */
function statePathOf(segments: readonly string[]): string[] {
  const path: string[] = [];
  segments.forEach((segment, index) => {
    const next = segments[index + 1];
    if (segment === "States" && next !== undefined) path.push(next);
    if (segment === "Branches" && next !== undefined && /^\d+$/.test(next)) path.push(`branch ${next}`);
  });
  return path;
}

function valueAt(document: unknown, segments: readonly string[]): unknown {
  let at: unknown = document;
  for (const segment of segments) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  // A whole state or document is too large to show in a one-line message.
  return typeof at === "object" && at !== null ? "(object)" : at;
}

function substituteFunctionNames(machine: Fields, functions: ReadonlySet<string>): void {
  const states = machine.States;
  if (!isObject(states)) return;
  for (const state of Object.values(states)) {
    if (!isObject(state)) continue;
    if (state.Type === "Task" && typeof state.Resource === "string" && functions.has(state.Resource)) {
      state.Resource = arn("lambda", "us-east-1", "000000000000", `function:${state.Resource}`);
    }
    if (Array.isArray(state.Branches))
      for (const branch of state.Branches) if (isObject(branch)) substituteFunctionNames(branch, functions);
    for (const processor of [state.ItemProcessor, state.Iterator])
      if (isObject(processor)) substituteFunctionNames(processor, functions);
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the state machines' files, then normalises: the spec, or one ConfigError with the files'
 * and the language's issues and the model's together (a file that could not be read once).
 */
export async function normaliseLoadedApp(
  dir: string,
  exported: unknown,
): Promise<{ spec: AppSpec; machines: LoadedStateMachines }> {
  const machines = await loadStateMachineFiles(dir, exported);
  let spec: AppSpec | undefined;
  let modelIssues: readonly ConfigIssue[] = [];
  try {
    spec = normaliseApp(machines.definition);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    modelIssues = error.issues.filter((issue) => !machines.unread.has(issue.path));
  }
  const issues = [...machines.issues, ...modelIssues];
  if (issues.length > 0 || spec === undefined) throw new ConfigError(issues);
  return { spec, machines };
}
