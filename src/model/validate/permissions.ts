/**
 * Reads and checks each function's declared `permissions`: IAM action names (known SQS, DynamoDB
 * and S3 actions; batch, transaction, PartiQL and S3 operations named as their actions),
 * resources (`queue:<name>`, `function:<name>`, `bus:<name>`, `table:<name>`, `bucket:<name>`,
 * `bucket:<name>/<key pattern>`, `stateMachine:<name>`, ARNs, `*`), that every named queue, function, bus, table or
 * bucket exists, and that no ARN only
 * works locally (permission-arns.ts). Wildcards are valid IAM and only warned
 * about (see `permissionWarnings`).
 */
import type { PermissionSpec } from "../app-spec.ts";
import {
  ACTION_ALIASES,
  DYNAMODB_ACTIONS,
  DYNAMODB_OPERATION_ACTIONS,
  IAM_ACTION_PATTERN,
  SQS_ACTIONS,
} from "../iam/actions.ts";
import { S3_ACTIONS, S3_OPERATION_ACTIONS } from "../iam/s3-actions.ts";
import { discoveryVariable, generatedDeadLetterName } from "../naming.ts";
import type { FunctionDraft, QueueDraft } from "./draft.ts";
import { checkPermissionArn } from "./permission-arns.ts";
import { closest, didYouMean } from "./suggest.ts";
import { checkKeys, type Issues, isRecord, join, quoteList } from "./values.ts";

const PERMISSION_KEYS = ["actions", "resources"] as const;
const EXAMPLE = `permissions: [{ actions: ["sqs:SendMessage"], resources: ["queue:audit"] }]`;
const ARN = /^arn:[a-z0-9-]*:[a-z0-9-]*:[a-z0-9-]*:[0-9*]*:.+$/;
const SQS_LOWER = new Map(SQS_ACTIONS.map((a) => [a.toLowerCase(), a]));
const DYNAMODB_LOWER = new Set(DYNAMODB_ACTIONS.map((a) => a.toLowerCase()));
const S3_LOWER = new Set(S3_ACTIONS.map((a) => a.toLowerCase()));
const ACTION_FOR = {
  queue: "sqs:SendMessage",
  function: "lambda:InvokeFunction",
  bus: "events:PutEvents",
  table: "dynamodb:GetItem",
  bucket: "s3:GetObject",
  stateMachine: "states:StartExecution",
} as const;
/** `bucket:<name>`, or `bucket:<name>/<key pattern>` for some of its objects (IAM's `*` and `?` allowed). */
const BUCKET_RESOURCE = /^bucket:[^/]+(\/.+)?$/;

/** The shape of `permissions`; whether named queues and functions exist is checked later. */
export function readPermissions(issues: Issues, path: string, value: unknown): PermissionSpec[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(path, value, "permissions must be a list of statements", "an array", `write e.g. ${EXAMPLE}`);
    return undefined;
  }
  const statements: PermissionSpec[] = [];
  value.forEach((raw: unknown, index) => {
    const at = join(path, index);
    if (!isRecord(raw)) {
      issues.add(
        at,
        raw,
        "a permission must be an object",
        "{ actions, resources }",
        `write e.g. ${EXAMPLE}`,
      );
      return;
    }
    checkKeys(issues, at, raw, PERMISSION_KEYS);
    const actions = readList(issues, join(at, "actions"), raw.actions, `actions: ["sqs:SendMessage"]`);
    const resources = readList(issues, join(at, "resources"), raw.resources, `resources: ["queue:audit"]`);
    if (actions === undefined || resources === undefined) return;
    const goodActions = actions.filter((action, i) =>
      checkAction(issues, join(join(at, "actions"), i), action),
    );
    const goodResources = resources.filter((r, i) =>
      checkResourceSyntax(issues, join(join(at, "resources"), i), r),
    );
    if (goodActions.length === actions.length && goodResources.length === resources.length) {
      statements.push({ actions, resources });
    }
  });
  return statements;
}

function readList(issues: Issues, path: string, value: unknown, example: string): string[] | undefined {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string"))
    return [...value];
  issues.add(
    path,
    value,
    value === undefined ? "a permission needs this list" : "must be a non-empty list of strings",
    "a non-empty array of strings",
    `write e.g. ${example}`,
  );
  return undefined;
}

function checkAction(issues: Issues, path: string, action: string): boolean {
  if (action === "*") return true;
  if (!IAM_ACTION_PATTERN.test(action)) {
    issues.add(
      path,
      action,
      "an IAM action is a service prefix and an action name",
      `"service:Action", e.g. "sqs:SendMessage" or "lambda:InvokeFunction"`,
      `write e.g. "sqs:SendMessage"`,
    );
    return false;
  }
  const alias = ACTION_ALIASES[action.toLowerCase()];
  if (alias !== undefined) {
    issues.add(
      path,
      action,
      `"${action}" is an API operation, not an IAM action: IAM authorizes it with "${alias}"`,
      "an IAM action name",
      `write "${alias}"`,
    );
    return false;
  }
  const operation =
    DYNAMODB_OPERATION_ACTIONS[action.toLowerCase()] ?? S3_OPERATION_ACTIONS[action.toLowerCase()];
  if (operation !== undefined) {
    issues.add(
      path,
      action,
      `"${action}" is an API operation, not an IAM action: IAM authorizes it with ${operation.join(", ")}`,
      "IAM action names",
      `write the actions it needs, e.g. ${operation.map((a) => `"${a}"`).join(", ")}`,
    );
    return false;
  }
  const [service, name = ""] = action.split(":");
  if (service?.toLowerCase() === "dynamodb") return checkDynamoDbAction(issues, path, action, name);
  if (service?.toLowerCase() === "s3") return checkS3Action(issues, path, action, name);
  if (service?.toLowerCase() !== "sqs" || /[*?]/.test(name) || SQS_LOWER.has(name.toLowerCase())) return true;
  const suggestion = closest(name, SQS_ACTIONS);
  issues.add(
    path,
    action,
    `"${action}" is not an SQS action.${didYouMean(name, SQS_ACTIONS)}`,
    `one of the SQS actions: ${SQS_ACTIONS.map((a) => `sqs:${a}`).join(", ")}`,
    suggestion === undefined ? "use one of the SQS actions" : `write "sqs:${suggestion}"`,
  );
  return false;
}

function checkDynamoDbAction(issues: Issues, path: string, action: string, name: string): boolean {
  if (/[*?]/.test(name) || DYNAMODB_LOWER.has(name.toLowerCase())) return true;
  const suggestion = closest(name, DYNAMODB_ACTIONS);
  issues.add(
    path,
    action,
    `"${action}" is not a DynamoDB action.${didYouMean(name, DYNAMODB_ACTIONS)}`,
    "a DynamoDB IAM action, e.g. dynamodb:GetItem, dynamodb:PutItem, dynamodb:Query",
    suggestion === undefined ? "use one of DynamoDB's IAM actions" : `write "dynamodb:${suggestion}"`,
  );
  return false;
}

function checkS3Action(issues: Issues, path: string, action: string, name: string): boolean {
  if (/[*?]/.test(name) || S3_LOWER.has(name.toLowerCase())) return true;
  const suggestion = closest(name, S3_ACTIONS);
  issues.add(
    path,
    action,
    `"${action}" is not an S3 action.${didYouMean(name, S3_ACTIONS)}`,
    "an S3 IAM action, e.g. s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucket",
    suggestion === undefined ? "use one of S3's IAM actions" : `write "s3:${suggestion}"`,
  );
  return false;
}

function checkResourceSyntax(issues: Issues, path: string, resource: string): boolean {
  if (resource === "*" || ARN.test(resource)) return true;
  if (/^(queue|function|bus|table|stateMachine):.+$/.test(resource) || BUCKET_RESOURCE.test(resource))
    return true;
  issues.add(
    path,
    resource,
    "a resource is a queue, function, event bus, table, bucket or state machine of this app, an ARN, or *",
    `"queue:<name>", "function:<name>", "bus:<name>", "table:<name>", "bucket:<name>", "bucket:<name>/<prefix>*", "stateMachine:<name>", "arn:aws:..." or "*"`,
    `write e.g. "queue:${resource.replace(/^[^:]*:/, "") || "audit"}"`,
  );
  return false;
}

/**
 * Named queues, functions, buses and tables exist; each named resource is one some action of the statement
 * applies to; ARNs do not name the app's own resources or the local account (permission-arns.ts).
 */
export function checkPermissionReferences(
  issues: Issues,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
  /** The app's EventBridge buses; `bus:default` is always known. */
  buses: readonly string[] = [],
  /** The app's name, to recognise its unstaged physical names in ARNs. */
  app?: string,
  /** The app's DynamoDB tables. */
  tables: readonly string[] = [],
  /** The app's S3 buckets. */
  buckets: readonly string[] = [],
  /** The app's Step Functions state machines. */
  stateMachines: readonly string[] = [],
): void {
  const queueNames = new Set(queues.keys());
  for (const queue of queues.values()) {
    if (queue.deadLetter !== undefined && queue.deadLetter.queueGiven === undefined) {
      queueNames.add(generatedDeadLetterName(queue.name));
    }
  }
  for (const fn of functions.values()) {
    fn.permissions?.forEach((statement, index) => {
      const at = join(join(fn.path, "permissions"), index);
      const services = new Set(
        statement.actions.map((a) => (a === "*" ? "*" : a.split(":")[0]?.toLowerCase())),
      );
      statement.resources.forEach((resource, i) => {
        const path = join(join(at, "resources"), i);
        const [kind, name = ""] = splitOnce(resource);
        if (kind === "queue") checkNamed(issues, path, resource, "queue", name, queueNames, services, "sqs");
        if (kind === "function") {
          checkNamed(issues, path, resource, "function", name, new Set(functions.keys()), services, "lambda");
        }
        if (kind === "bus") {
          checkNamed(issues, path, resource, "bus", name, new Set(["default", ...buses]), services, "events");
        }
        if (kind === "table")
          checkNamed(issues, path, resource, "table", name, new Set(tables), services, "dynamodb");
        if (kind === "bucket") {
          // `bucket:<name>/<key pattern>` names the bucket before its first slash.
          const bucket = name.split("/")[0] ?? "";
          checkNamed(issues, path, resource, "bucket", bucket, new Set(buckets), services, "s3");
        }
        if (kind === "stateMachine") {
          checkNamed(
            issues,
            path,
            resource,
            "stateMachine",
            name,
            new Set(stateMachines),
            services,
            "states",
          );
        }
        if (kind === "arn" && app !== undefined) {
          checkPermissionArn(issues, path, resource, {
            app,
            queues: queueNames,
            functions: functions.keys(),
            buses,
            tables,
            buckets,
            stateMachines,
          });
        }
      });
    });
  }
  checkVariableClashes(issues, queueNames, functions, tables, buckets);
}

function checkNamed(
  issues: Issues,
  path: string,
  resource: string,
  kind: "queue" | "function" | "bus" | "table" | "bucket" | "stateMachine",
  name: string,
  known: ReadonlySet<string>,
  services: ReadonlySet<string | undefined>,
  service: string,
): void {
  if (!known.has(name)) {
    const suggestion = closest(name, known);
    issues.add(
      path,
      resource,
      `"${resource}" names no ${kind} of this app.${didYouMean(name, known)}`,
      `one of: ${quoteList([...known].map((n) => `${kind}:${n}`))}`,
      suggestion === undefined
        ? `define ${kind} "${name}", or name another`
        : `write "${kind}:${suggestion}"`,
    );
    return;
  }
  if (services.has("*") || services.has(service)) return;
  issues.add(
    path,
    resource,
    `none of the statement's actions applies to a ${kind}, so "${resource}" grants nothing`,
    `${service}: actions for a ${kind}`,
    `add an action such as "${ACTION_FOR[kind]}", or move "${resource}" to a statement that has one`,
  );
}

/** Two names that map to the same discovery variable would hide one resource from functions. */
function checkVariableClashes(
  issues: Issues,
  queueNames: ReadonlySet<string>,
  functions: ReadonlyMap<string, FunctionDraft>,
  tables: readonly string[],
  buckets: readonly string[],
): void {
  const groups: [
    string,
    Iterable<string>,
    "QUEUE_URL" | "FUNCTION_NAME" | "TABLE_NAME" | "BUCKET_NAME",
    string,
  ][] = [
    ["queue", queueNames, "QUEUE_URL", "queues"],
    ["function", functions.keys(), "FUNCTION_NAME", "functions"],
    ["table", tables, "TABLE_NAME", "tables"],
    // Upper-cased like the variable, two bucket names that differ in case would also share a bucket.
    ["bucket", buckets, "BUCKET_NAME", "buckets"],
  ];
  for (const [kind, names, attribute, path] of groups) {
    const seen = new Map<string, string>();
    for (const name of names) {
      const variable = discoveryVariable(attribute, name);
      const other = seen.get(variable);
      if (other === undefined) {
        seen.set(variable, name);
        continue;
      }
      issues.add(
        join(path, name),
        name,
        `${kind}s "${other}" and "${name}" would share the discovery variable ${variable}`,
        `${kind} names that differ in more than "-" versus "_" or letter case`,
        `rename "${name}"`,
      );
    }
  }
}

function splitOnce(resource: string): [string, string] {
  const colon = resource.indexOf(":");
  return colon === -1 ? [resource, ""] : [resource.slice(0, colon), resource.slice(colon + 1)];
}
