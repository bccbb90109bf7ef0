/**
 * Step Functions state machines in the definition (`stateMachines`) and their normalised spec.
 * A definition is Amazon States Language (ASL) as AWS documents it
 * (https://states-language.net/spec.html, https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html),
 * in JSONPath or JSONata; where a task names one of the app's functions, queues, buses, tables,
 * buckets or state machines it writes the Sluice name, and `references` below says where each
 * name is resolved: to local ARNs by `sluice dev`, to `${…}` DefinitionSubstitutions by synth.
 */
import { stateAt } from "./state-machine-walk.ts";

/** Step Functions' two workflow types (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html). */
export type StateMachineType = "STANDARD" | "EXPRESS";

/** CloudWatch Logs levels of a state machine's LoggingConfiguration. */
export type StateMachineLogLevel = "ALL" | "ERROR" | "FATAL" | "OFF";

/** An ASL document as JSON (the top-level object with `StartAt` and `States`). */
export type AslDocument = Readonly<Record<string, unknown>>;

export interface StateMachineDefinition {
  /**
   * The Amazon States Language document: a path to a `.json` (or `.asl.json`) file relative to the
   * app root, or the document itself. Tasks name the app's resources by their Sluice names.
   * @example definition: "src/query.asl.json"
   * @example definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } }
   */
  definition: string | AslDocument;
  /** @default "STANDARD" */
  type?: StateMachineType;
  /**
   * Execution history to CloudWatch Logs (`/aws/vendedlogs/states/<machine>`).
   * @default { level: "ERROR", includeExecutionData: false } for EXPRESS (AWS keeps no history of
   * Express executions), "OFF" for STANDARD
   */
  logging?: { level: StateMachineLogLevel; includeExecutionData?: boolean };
}

/** What kind of app resource a reference in a definition names. */
export type StateMachineReferenceKind = "function" | "queue" | "bus" | "table" | "bucket" | "stateMachine";

/**
 * One place in a definition where a Sluice name stands for a resource: the task state's path,
 * the field (a dotted path inside the state, e.g. `Parameters.FunctionName`, `Arguments.QueueUrl`,
 * `Resource`), the kind, the name, and the IAM actions the machine's role needs on it for that task.
 */
export interface StateMachineReference {
  /** State names from the top, through Parallel branches and Map processors, e.g. ["Fan", "branch 0", "Run"]. */
  readonly statePath: readonly string[];
  /** Dotted path of the field inside that state. */
  readonly field: string;
  readonly kind: StateMachineReferenceKind;
  /** The Sluice name written there. */
  readonly name: string;
  /** What the value becomes: an ARN, a queue URL, or a physical name (as the integration's API takes it). */
  readonly form: "arn" | "url" | "name";
  /** IAM actions the state machine's role needs for this task on this resource. */
  readonly actions: readonly string[];
}

export interface StateMachineSpec {
  /** Name in the definition (the key under `stateMachines`). */
  readonly name: string;
  /** Physical state machine name: `<resource prefix>-<name>` (stage-qualified like every physical name). */
  readonly stateMachineName: string;
  readonly type: StateMachineType;
  /** The ASL document as written (file read and parsed), Sluice names unresolved; frozen. */
  readonly definition: AslDocument;
  /** The file it came from, relative to the app root, when it came from a file. */
  readonly definitionFile?: string;
  /** `"JSONPath"` or `"JSONata"`: the document's top-level QueryLanguage (default JSONPath). */
  readonly queryLanguage: "JSONPath" | "JSONata";
  /** Every Sluice name in the document (validated to exist). */
  readonly references: readonly StateMachineReference[];
  readonly logging: { readonly level: StateMachineLogLevel; readonly includeExecutionData: boolean };
  /**
   * Task targets outside the app, written as ARNs (left as written): the role gets the task's
   * actions on each (a queue written as its AWS URL: on the queue's ARN). Absent when none.
   */
  readonly externalTargets?: readonly StateMachineExternalTarget[];
}

/** A task's target outside the app, by its ARN, and the IAM actions the task needs on it. */
export interface StateMachineExternalTarget {
  readonly statePath: readonly string[];
  readonly field: string;
  readonly kind: StateMachineReferenceKind;
  readonly arn: string;
  readonly actions: readonly string[];
}

/**
 * The machine's document with every reference's field replaced by `resolve(reference)`: synth
 * returns `"${LogicalId}"` placeholders (CloudFormation DefinitionSubstitutions), the local cloud
 * its ARNs, URLs and names. A deep copy; the spec's document is left as written.
 */
export function resolveDefinition(
  machine: Pick<StateMachineSpec, "definition" | "references">,
  resolve: (reference: StateMachineReference) => unknown,
): AslDocument {
  const document = structuredClone(machine.definition) as Record<string, unknown>;
  for (const reference of machine.references) {
    const state = stateAt(document, reference.statePath);
    if (state === undefined) {
      throw new Error(`resolveDefinition: no state at ${reference.statePath.join(" → ")}`);
    }
    setField(state as Record<string, unknown>, reference.field, resolve(reference));
  }
  return document;
}

/** Sets a dotted field path with `[i]` indexes (`Parameters.Entries[0].EventBusName`), creating the last key. */
function setField(target: Record<string, unknown>, field: string, value: unknown): void {
  const keys = field.split(/\.|(?=\[)/).map((key) => (key.startsWith("[") ? Number(key.slice(1, -1)) : key));
  let at: Record<string | number, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    if (typeof next !== "object" || next === null) {
      throw new Error(`resolveDefinition: no ${field} in the state`);
    }
    at = next as Record<string | number, unknown>;
  }
  at[keys[keys.length - 1] as string | number] = value;
}
