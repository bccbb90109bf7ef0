/**
 * Finds where a state machine's tasks name the app's resources (the reference rule of
 * state-machine-integrations.ts) and checks each: the name exists, it is written as a name (a
 * dynamic value would leave Sluice unable to derive the role), and the integration's pattern is
 * one AWS supports, for the machine's type (Express workflows run Request Response only:
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-supported-services.html).
 */

import { queueArnOfUrl, taskResourceUri } from "../naming.ts";
import {
  type IntegrationPattern,
  type IntegrationRule,
  ITEM_READER_INTEGRATIONS,
  integrationActions,
  parseTaskResource,
  TASK_INTEGRATIONS,
} from "../state-machine-integrations.ts";
import { isJsonObject, type VisitedState, walkStates } from "../state-machine-walk.ts";
import type {
  AslDocument,
  StateMachineExternalTarget,
  StateMachineReference,
  StateMachineReferenceKind,
  StateMachineType,
} from "../state-machines.ts";
import { didYouMean } from "./suggest.ts";
import { type Issues, quoteList } from "./values.ts";

/** The app's names of each kind a definition may reference. */
export type KnownNames = Readonly<Record<StateMachineReferenceKind, ReadonlySet<string>>>;

interface Context {
  readonly issues: Issues;
  /** `stateMachines.<name>.definition` */
  readonly path: string;
  readonly type: StateMachineType;
  readonly known: KnownNames;
  readonly documentLanguage: string;
  readonly references: StateMachineReference[];
  readonly external: StateMachineExternalTarget[];
}

const PATTERN_SUFFIX: Record<IntegrationPattern, string> = {
  requestResponse: "",
  sync: ".sync",
  "sync:2": ".sync:2",
  waitForTaskToken: ".waitForTaskToken",
};

export function readReferences(
  issues: Issues,
  path: string,
  document: AslDocument,
  type: StateMachineType,
  known: KnownNames,
): { references: StateMachineReference[]; external: StateMachineExternalTarget[] } {
  const documentLanguage = document.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const context: Context = { issues, path, type, known, documentLanguage, references: [], external: [] };
  walkStates(document, (visited) => {
    if (visited.state.Type === "Task") readTask(context, visited);
    if (visited.state.Type === "Map" && isJsonObject(visited.state.ItemReader))
      readItemReader(context, visited);
  });
  return { references: context.references, external: context.external };
}

/** Where a message points: the state's path from the top, e.g. `state "Fan → branch 0 → Run"`. */
function describeState(statePath: readonly string[]): string {
  return `state "${statePath.join(" → ")}"`;
}

function readTask(context: Context, visited: VisitedState): void {
  const { issues, path } = context;
  const resource = visited.state.Resource;
  if (typeof resource !== "string") return; // asl-validator reports a missing Resource
  const at = `${path}.${visited.documentPath}.Resource`;
  const parsed = parseTaskResource(resource);
  if (parsed === undefined) {
    readDirectResource(context, visited, resource, at);
    return;
  }
  const rule = TASK_INTEGRATIONS[parsed.api];
  if (rule === undefined) {
    issues.add(
      at,
      resource,
      `${describeState(visited.statePath)} uses an integration Sluice does not run`,
      `one of: ${quoteList(Object.keys(TASK_INTEGRATIONS).map((api) => taskResourceUri(api)))}`,
      "call the service from a function (lambda:invoke), or use one of the integrations above",
    );
    return;
  }
  if (!checkPattern(context, visited, rule, parsed.pattern, at, resource)) return;
  readFields(context, visited, rule, parsed.pattern, "");
}

function readItemReader(context: Context, visited: VisitedState): void {
  const reader = visited.state.ItemReader as Readonly<Record<string, unknown>>;
  const resource = reader.Resource;
  if (typeof resource !== "string") return;
  const at = `${context.path}.${visited.documentPath}.ItemReader.Resource`;
  const parsed = parseTaskResource(resource);
  const rule = parsed === undefined ? undefined : ITEM_READER_INTEGRATIONS[parsed.api];
  if (parsed === undefined || rule === undefined || parsed.pattern !== "requestResponse") {
    context.issues.add(
      at,
      resource,
      `${describeState(visited.statePath)} reads its items with a Resource Sluice does not run`,
      `one of: ${quoteList(Object.keys(ITEM_READER_INTEGRATIONS).map((api) => taskResourceUri(api)))}`,
      "read items from S3 with s3:getObject or s3:listObjectsV2",
    );
    return;
  }
  readFields(context, { ...visited, state: reader }, rule, parsed.pattern, "ItemReader.", visited.state);
}

/** `Resource` that is no service integration: a Lambda ARN, any other ARN, or a function's Sluice name. */
function readDirectResource(context: Context, visited: VisitedState, resource: string, at: string): void {
  if (resource.startsWith("arn:")) {
    // Outside the app, left as written: a Lambda function's ARN (the legacy form) is invoked.
    if (/^arn:[^:]+:lambda:/.test(resource)) {
      const target = { statePath: visited.statePath, field: "Resource", kind: "function", arn: resource };
      context.external.push({ ...target, kind: "function", actions: ["lambda:InvokeFunction"] });
    }
    return;
  }
  const functions = context.known.function;
  if (functions.has(resource)) {
    context.references.push({
      statePath: visited.statePath,
      field: "Resource",
      kind: "function",
      name: resource,
      form: "arn",
      actions: ["lambda:InvokeFunction"],
    });
    return;
  }
  context.issues.add(
    at,
    resource,
    `${describeState(visited.statePath)} names "${resource}", which is no function of the app.${didYouMean(resource, functions)}`,
    `a function of the app (${quoteList(functions)}), an ARN, or an integration such as ${taskResourceUri("lambda:invoke")}`,
    `write one of the app's functions, or use "Resource": "${taskResourceUri("lambda:invoke")}" with Parameters.FunctionName`,
  );
}

function checkPattern(
  context: Context,
  visited: VisitedState,
  rule: IntegrationRule,
  pattern: IntegrationPattern,
  at: string,
  resource: string,
): boolean {
  if (!rule.patterns.includes(pattern)) {
    context.issues.add(
      at,
      resource,
      `${describeState(visited.statePath)}: this integration does not support ${PATTERN_SUFFIX[pattern]}`,
      `the patterns AWS supports for it: ${rule.patterns.map((p) => PATTERN_SUFFIX[p] || "(request response)").join(", ")}`,
      `remove ${PATTERN_SUFFIX[pattern]} from the Resource`,
    );
    return false;
  }
  if (context.type === "EXPRESS" && pattern !== "requestResponse") {
    context.issues.add(
      at,
      resource,
      `${describeState(visited.statePath)} waits with ${PATTERN_SUFFIX[pattern]}, which Express workflows do not support (they run Request Response integrations only)`,
      "in an EXPRESS state machine, Resource URIs without .sync or .waitForTaskToken",
      `make the state machine type: "STANDARD", or remove ${PATTERN_SUFFIX[pattern]}`,
    );
    return false;
  }
  return true;
}

/** Reads the rule's field from the state's Parameters (JSONPath) or Arguments (JSONata). */
function readFields(
  context: Context,
  visited: VisitedState,
  rule: IntegrationRule,
  pattern: IntegrationPattern,
  prefix: string,
  owner: Readonly<Record<string, unknown>> = visited.state,
): void {
  const language =
    owner.QueryLanguage === "JSONata" || owner.QueryLanguage === "JSONPath"
      ? owner.QueryLanguage
      : context.documentLanguage;
  const container = language === "JSONata" ? "Arguments" : "Parameters";
  const base = `${prefix}${container}`;
  const at = `${context.path}.${visited.documentPath}.${base}`;
  const value = visited.state[container];
  const [first, rest] = splitEntries(rule.field);
  if (value === undefined) {
    missing(context, visited, at, first, rule);
    return;
  }
  if (isDynamic(value, language)) {
    dynamicTarget(context, visited, at, value, rule, base);
    return;
  }
  if (!isJsonObject(value)) return;
  if (rest === undefined) {
    readName(context, visited, rule, pattern, language, value, first, `${base}.${first}`, at);
    return;
  }
  // events:putEvents: EventBusName of each entry.
  const entries = value[first];
  if (language === "JSONPath" && `${first}.$` in value) {
    dynamicTarget(context, visited, `${at}.${first}.$`, value[`${first}.$`], rule, base);
    return;
  }
  if (!Array.isArray(entries)) {
    if (entries === undefined) missing(context, visited, at, first, rule);
    else dynamicTarget(context, visited, `${at}.${first}`, entries, rule, base);
    return;
  }
  entries.forEach((entry: unknown, index: number) => {
    if (!isJsonObject(entry)) return;
    const field = `${base}.${first}[${index}].${rest}`;
    if (entry[rest] === undefined && !(`${rest}.$` in entry)) {
      // No EventBusName: PutEvents puts the event on the default bus, as if it said "default".
      context.references.push(reference(visited, field, rule, pattern, "default"));
      return;
    }
    readName(context, visited, rule, pattern, language, entry, rest, field, `${at}.${first}[${index}]`);
  });
}

function readName(
  context: Context,
  visited: VisitedState,
  rule: IntegrationRule,
  pattern: IntegrationPattern,
  language: string,
  fields: Readonly<Record<string, unknown>>,
  key: string,
  field: string,
  at: string,
): void {
  if (language === "JSONPath" && `${key}.$` in fields) {
    dynamicTarget(context, visited, `${at}.${key}.$`, fields[`${key}.$`], rule, field);
    return;
  }
  const name = fields[key];
  if (name === undefined) {
    missing(context, visited, at, key, rule);
    return;
  }
  if (typeof name !== "string" || isDynamic(name, language)) {
    dynamicTarget(context, visited, `${at}.${key}`, name, rule, field);
    return;
  }
  if (isExternal(name, rule)) {
    // A queue outside the app is written as its URL: the role's grant is on the ARN it names.
    const arn = name.startsWith("arn:") ? name : queueArnOfUrl(name);
    if (arn !== undefined) {
      context.external.push({
        statePath: visited.statePath,
        field,
        kind: rule.kind,
        arn,
        actions: integrationActions(rule, pattern),
      });
    }
    return;
  }
  const known = context.known[rule.kind];
  if (!known.has(name)) {
    context.issues.add(
      `${at}.${key}`,
      name,
      `${describeState(visited.statePath)} names the ${KIND_WORDS[rule.kind]} "${name}", which the app does not define.${didYouMean(name, known)}`,
      known.size === 0 ? `the app has no ${KIND_WORDS[rule.kind]}s` : `one of: ${quoteList(known)}`,
      `define "${name}", write one of the app's names, or write the ARN of a ${KIND_WORDS[rule.kind]} outside the app`,
    );
    return;
  }
  context.references.push(reference(visited, field, rule, pattern, name));
}

function reference(
  visited: VisitedState,
  field: string,
  rule: IntegrationRule,
  pattern: IntegrationPattern,
  name: string,
): StateMachineReference {
  return {
    statePath: visited.statePath,
    field,
    kind: rule.kind,
    name,
    form: rule.form,
    actions: integrationActions(rule, pattern),
  };
}

const KIND_WORDS: Record<StateMachineReferenceKind, string> = {
  function: "function",
  queue: "queue",
  bus: "bus",
  table: "table",
  bucket: "bucket",
  stateMachine: "state machine",
};

/** An ARN (or, for a queue, a URL) names something outside the app, left as written. */
function isExternal(value: string, rule: IntegrationRule): boolean {
  if (value.startsWith("arn:")) return true;
  return rule.kind === "queue" && /^https?:\/\//.test(value);
}

function isDynamic(value: unknown, language: string): boolean {
  return language === "JSONata" && typeof value === "string" && /^\{%[\s\S]*%\}$/.test(value.trim());
}

function splitEntries(field: string): [string, string | undefined] {
  const [first, rest] = field.split("[].") as [string, string | undefined];
  return [first, rest];
}

function missing(
  context: Context,
  visited: VisitedState,
  at: string,
  key: string,
  rule: IntegrationRule,
): void {
  context.issues.add(
    `${at}.${key}`,
    undefined,
    `${describeState(visited.statePath)} needs ${key}: the ${KIND_WORDS[rule.kind]} it calls`,
    `the name of one of the app's ${KIND_WORDS[rule.kind]}s, or an ARN`,
    `add "${key}": "<${KIND_WORDS[rule.kind]} name>"`,
  );
}

function dynamicTarget(
  context: Context,
  visited: VisitedState,
  at: string,
  value: unknown,
  rule: IntegrationRule,
  field: string,
): void {
  context.issues.add(
    at,
    value,
    `${describeState(visited.statePath)} computes its ${KIND_WORDS[rule.kind]} (${field}) at run time; Sluice derives the state machine's IAM role from the names a definition writes`,
    `the name of one of the app's ${KIND_WORDS[rule.kind]}s written as a plain string, or an ARN`,
    `write the name, e.g. "${rule.field.replace("Entries[].", "")}": "<${KIND_WORDS[rule.kind]} name>"`,
  );
}
