/**
 * Reads `stateMachines`: each machine's type, logging and ASL document (an object; a file path is
 * read by the loader in src/bundle, which hands the document here with `definitionFile`), its
 * physical name, and where its tasks name the app's resources (state-machine-references.ts).
 * The ASL language itself is asl-validator's to check, in the loader.
 */
import { LIMITS } from "../limits.ts";
import { discoveryVariable, physicalStateMachineName } from "../naming.ts";
import type {
  AslDocument,
  StateMachineLogLevel,
  StateMachineSpec,
  StateMachineType,
} from "../state-machines.ts";
import { type KnownNames, readReferences } from "./state-machine-references.ts";
import {
  checkKeys,
  type Fields,
  type Issues,
  isRecord,
  join,
  quoteList,
  readBoolean,
  readObject,
} from "./values.ts";

const SFN = LIMITS.stepFunctions;
/** Keys a user writes, and `definitionFile`, which the loader sets when it read `definition` from a file. */
const MACHINE_KEYS = ["definition", "type", "logging", "definitionFile"] as const;
const TYPES: readonly StateMachineType[] = ["STANDARD", "EXPRESS"];
const LEVELS: readonly StateMachineLogLevel[] = ["ALL", "ERROR", "FATAL", "OFF"];
const EXAMPLE = `{ definition: "src/flow.asl.json" }`;

/** A state machine as read; `spec` is undefined when anything about it was invalid. */
export interface StateMachineDraft {
  readonly name: string;
  readonly path: string;
  /** Everything but the physical name and the references. */
  readonly spec: Omit<StateMachineSpec, "stateMachineName" | "references"> | undefined;
}

export function readStateMachines(issues: Issues, value: unknown): Map<string, StateMachineDraft> {
  const machines = new Map<string, StateMachineDraft>();
  if (value === undefined) return machines;
  const fields = readObject(issues, "stateMachines", value, `stateMachines: { flow: ${EXAMPLE} }`);
  if (fields === undefined) return machines;
  for (const [name, raw] of Object.entries(fields)) {
    const path = join("stateMachines", name);
    const machine = readObject(issues, path, raw, EXAMPLE);
    if (machine !== undefined) machines.set(name, readMachine(issues, name, path, machine));
  }
  return machines;
}

function readMachine(issues: Issues, name: string, path: string, machine: Fields): StateMachineDraft {
  checkKeys(issues, path, machine, MACHINE_KEYS);
  const type = readType(issues, join(path, "type"), machine.type);
  const logging =
    type === undefined ? undefined : readLogging(issues, join(path, "logging"), machine.logging, type);
  const definitionFile = typeof machine.definitionFile === "string" ? machine.definitionFile : undefined;
  const definition = readDocument(issues, join(path, "definition"), machine.definition, definitionFile);
  if (type === undefined || logging === undefined || definition === undefined)
    return { name, path, spec: undefined };
  return {
    name,
    path,
    spec: {
      name,
      type,
      definition,
      ...(definitionFile === undefined ? {} : { definitionFile }),
      queryLanguage: definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath",
      logging,
    },
  };
}

function readType(issues: Issues, path: string, value: unknown): StateMachineType | undefined {
  if (value === undefined) return "STANDARD";
  if (TYPES.includes(value as StateMachineType)) return value as StateMachineType;
  issues.add(
    path,
    value,
    "type must be STANDARD or EXPRESS",
    quoteList(TYPES),
    `write type: "STANDARD" (durable, up to a year) or type: "EXPRESS" (up to five minutes)`,
  );
  return undefined;
}

function readLogging(
  issues: Issues,
  path: string,
  value: unknown,
  type: StateMachineType,
): StateMachineSpec["logging"] | undefined {
  // AWS keeps no execution history of Express workflows, so their failures are visible only in logs.
  if (value === undefined) {
    return type === "EXPRESS"
      ? { level: "ERROR", includeExecutionData: false }
      : { level: "OFF", includeExecutionData: false };
  }
  const fields = readObject(issues, path, value, `{ level: "ERROR" }`);
  if (fields === undefined) return undefined;
  checkKeys(issues, path, fields, ["level", "includeExecutionData"]);
  let ok = true;
  if (!LEVELS.includes(fields.level as StateMachineLogLevel)) {
    issues.add(
      join(path, "level"),
      fields.level,
      "level must be a CloudWatch Logs level of Step Functions",
      quoteList(LEVELS),
      `write level: "ERROR"`,
    );
    ok = false;
  }
  const include =
    fields.includeExecutionData === undefined
      ? false
      : readBoolean(issues, join(path, "includeExecutionData"), fields.includeExecutionData);
  if (!ok || include === undefined) return undefined;
  return { level: fields.level as StateMachineLogLevel, includeExecutionData: include };
}

/** The document (an object); a string is a file the loader did not read, so an issue here. */
function readDocument(
  issues: Issues,
  path: string,
  value: unknown,
  definitionFile: string | undefined,
): AslDocument | undefined {
  if (typeof value === "string") {
    const unsafe = unsafeDefinitionPath(value);
    issues.add(
      path,
      value,
      unsafe ?? "a definition file is read by the app's loader (loadApp), and this definition was not read",
      "a path relative to the app root, inside it, to a JSON file; or the ASL document as an object",
      unsafe === undefined
        ? "load the app with loadApp, or pass the document itself"
        : `write a path inside the app, e.g. "src/flow.asl.json"`,
    );
    return undefined;
  }
  if (!isRecord(value)) {
    issues.add(
      path,
      value,
      "definition must be an Amazon States Language document or a path to one",
      "an object with StartAt and States, or a file path",
      `write definition: "src/flow.asl.json"`,
    );
    return undefined;
  }
  const where = definitionFile === undefined ? "" : ` (${definitionFile})`;
  let ok = true;
  if (typeof value.StartAt !== "string" || !isRecord(value.States)) {
    issues.add(
      path,
      value,
      `the definition${where} needs StartAt (a state's name) and States (an object of states)`,
      "an ASL document",
      `write { "StartAt": "First", "States": { "First": { "Type": "Succeed" } } }`,
    );
    ok = false;
  }
  const size = new TextEncoder().encode(JSON.stringify(value)).length;
  if (size > SFN.definitionSize.max) {
    issues.add(
      path,
      `(${size} bytes)`,
      `the definition${where} is ${size} bytes, above Step Functions' limit of ${SFN.definitionSize.max}`,
      `at most ${SFN.definitionSize.max} bytes`,
      "split the workflow into nested state machines (states:startExecution)",
    );
    ok = false;
  }
  // A copy: the spec is frozen, and the user's object is theirs.
  return ok ? (JSON.parse(JSON.stringify(value)) as AslDocument) : undefined;
}

/**
 * Why a definition path may not be read: absolute, or leaving the app root through `..`
 * (the loader reads only inside the app). Undefined when it is a safe relative path.
 */
export function unsafeDefinitionPath(file: string): string | undefined {
  if (file === "") return "the definition path is empty";
  if (file.startsWith("/") || file.startsWith("\\") || /^[A-Za-z]:/.test(file)) {
    return `the definition path "${file}" is absolute; a definition file must be inside the app`;
  }
  if (file.split(/[\\/]/).includes("..")) {
    return `the definition path "${file}" leaves the app root through ".."; a definition file must be inside the app`;
  }
  if (file.includes("\0")) return "the definition path holds a NUL character";
  return undefined;
}

/**
 * Names and cross-references: each machine's name and physical name, names shared with routes'
 * other targets, and every reference in each document.
 */
export function checkStateMachines(
  issues: Issues,
  prefix: string | undefined,
  machines: ReadonlyMap<string, StateMachineDraft>,
  known: Omit<KnownNames, "stateMachine">,
): Map<string, StateMachineSpec> {
  const specs = new Map<string, StateMachineSpec>();
  const allKnown: KnownNames = { ...known, stateMachine: new Set(machines.keys()) };
  const variables = new Map<string, string>();
  for (const machine of machines.values()) {
    let named = checkName(issues, prefix, machine, known);
    // Two names differing only in "-"/"_" or case would share SLUICE_STATE_MACHINE_<NAME>_ARN.
    const variable = discoveryVariable("STATE_MACHINE_ARN", machine.name);
    const other = variables.get(variable);
    if (named && other !== undefined) {
      issues.add(
        machine.path,
        machine.name,
        `state machines "${other}" and "${machine.name}" would share the discovery variable ${variable}`,
        `state machine names that differ in more than "-" versus "_" or letter case`,
        `rename "${machine.name}"`,
      );
      named = false;
    }
    variables.set(variable, machine.name);
    const spec = machine.spec;
    if (spec === undefined) continue;
    const before = issues.list.length;
    const { references, external } = readReferences(
      issues,
      join(machine.path, "definition"),
      spec.definition,
      spec.type,
      allKnown,
    );
    if (!named || prefix === undefined || issues.list.length > before) continue;
    specs.set(machine.name, {
      ...spec,
      stateMachineName: physicalStateMachineName(prefix, machine.name),
      references,
      ...(external.length === 0 ? {} : { externalTargets: external }),
    });
  }
  return specs;
}

function checkName(
  issues: Issues,
  prefix: string | undefined,
  machine: StateMachineDraft,
  known: Omit<KnownNames, "stateMachine">,
): boolean {
  const { name, path } = machine;
  const rule = SFN.stateMachineDefinitionName;
  if (!rule.pattern.test(name)) {
    issues.add(
      path,
      name,
      `the state machine name "${name}" has characters Sluice does not allow`,
      rule.charset,
      `rename it, e.g. "${name.replace(/[^A-Za-z0-9_-]+/g, "-") || "flow"}"`,
    );
    return false;
  }
  for (const [kind, names] of [
    ["function", known.function],
    ["queue", known.queue],
    ["bus", known.bus],
  ] as const) {
    if (names.has(name)) {
      issues.add(
        path,
        name,
        `"${name}" names both a ${kind} and a state machine, so a route to "${name}" is ambiguous`,
        "names unique across functions, queues, buses and state machines",
        `rename the state machine, e.g. "${name}-flow"`,
      );
      return false;
    }
  }
  if (prefix === undefined) return true;
  const physical = physicalStateMachineName(prefix, name);
  const max = SFN.stateMachineName.max;
  if (physical.length > max) {
    issues.add(
      path,
      name,
      `the physical name "${physical}" is ${physical.length} characters, above Step Functions' limit of ${max}`,
      `app name (and stage) + "-" + name of at most ${max} characters`,
      `shorten the name by ${physical.length - max} characters, or shorten the app name`,
    );
    return false;
  }
  return true;
}
