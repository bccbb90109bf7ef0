/**
 * Checks names: the app's, each component's, and the physical AWS names they combine into, which
 * must fit AWS's length and character rules. Also flags a name used by both a queue and a function.
 */
import { LIMITS } from "../limits.ts";
import { generatedDeadLetterName, physicalFunctionName, physicalQueueName } from "../naming.ts";
import type { FunctionDraft, QueueDraft } from "./draft.ts";
import { type Issues, readString } from "./values.ts";

const STACK = LIMITS.cloudformation.stackName;
const FUNCTION_NAME = LIMITS.lambda.functionName;
const QUEUE_NAME = LIMITS.sqs.queueName;

export function readAppName(issues: Issues, value: unknown): string | undefined {
  if (value === undefined) {
    const fix = `add a name, e.g. name: "my-app"`;
    issues.add("name", undefined, "the application needs a name", STACK.charset, fix);
    return undefined;
  }
  const name = readString(issues, "name", value, `name: "my-app"`);
  if (name === undefined) return undefined;
  if (!STACK.pattern.test(name)) {
    const cleaned = name.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^[^A-Za-z]+/, "");
    issues.add(
      "name",
      name,
      "the application name can hold only letters, digits and hyphens, starting with a letter " +
        "(it names the CloudFormation stack and prefixes every resource)",
      STACK.charset,
      `rename it, e.g. name: "${cleaned || "my-app"}"`,
    );
    return undefined;
  }
  return name;
}

export function checkNames(
  issues: Issues,
  app: string | undefined,
  queues: ReadonlyMap<string, QueueDraft>,
  functions: ReadonlyMap<string, FunctionDraft>,
): void {
  for (const queue of queues.values()) {
    if (!checkComponentName(issues, queue.path, queue.name, "queue")) continue;
    if (app !== undefined && queue.fifo !== undefined) {
      checkLength(
        issues,
        queue.path,
        queue.name,
        physicalQueueName(app, queue.name, queue.fifo),
        QUEUE_NAME.max,
      );
      if (queue.deadLetter !== undefined && queue.deadLetter.queueGiven === undefined) {
        const dlq = physicalQueueName(app, generatedDeadLetterName(queue.name), queue.fifo);
        checkLength(issues, queue.deadLetter.path, queue.name, dlq, QUEUE_NAME.max);
      }
    }
  }
  for (const fn of functions.values()) {
    if (!checkComponentName(issues, fn.path, fn.name, "function")) continue;
    if (app !== undefined) {
      checkLength(issues, fn.path, fn.name, physicalFunctionName(app, fn.name), FUNCTION_NAME.max);
    }
    if (queues.has(fn.name)) {
      issues.add(
        fn.path,
        fn.name,
        `"${fn.name}" names both a queue and a function, so a route to "${fn.name}" is ambiguous`,
        "names unique across queues and functions",
        `rename the queue or the function, e.g. queues["${fn.name}-queue"]`,
      );
    }
  }
}

function checkComponentName(issues: Issues, path: string, name: string, kind: "queue" | "function"): boolean {
  if (kind === "queue" && name.endsWith(".fifo")) {
    const bare = name.slice(0, -".fifo".length);
    issues.add(
      path,
      name,
      `queue names in the definition never include ".fifo"; Sluice adds it to FIFO queues' physical names`,
      "a name without .fifo, and fifo: true for a FIFO queue",
      `rename it to "${bare}" and set fifo: true`,
    );
    return false;
  }
  const rule = kind === "queue" ? QUEUE_NAME : FUNCTION_NAME;
  if (rule.pattern.test(name)) return true;
  issues.add(
    path,
    name,
    `the ${kind} name "${name}" has characters AWS does not allow in ${kind} names`,
    rule.charset,
    `rename it, e.g. "${name.replace(/[^A-Za-z0-9_-]+/g, "-") || kind}"`,
  );
  return false;
}

function checkLength(issues: Issues, path: string, name: string, physical: string, max: number): void {
  if (physical.length <= max) return;
  issues.add(
    path,
    name,
    `the physical name "${physical}" is ${physical.length} characters, above AWS's limit of ${max}`,
    `app name + "-" + name${path.endsWith("deadLetter") ? ' + "-dlq"' : ""} of at most ${max} characters`,
    `shorten the name by ${physical.length - max} characters, or shorten the app name`,
  );
}
