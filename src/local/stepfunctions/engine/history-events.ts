/**
 * History event types and the key of their details, as GetExecutionHistory returns them
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * `<Type>StateEntered`/`<Type>StateExited` carry `stateEnteredEventDetails`/`stateExitedEventDetails`;
 * every other type `<type with a lower-case first letter>EventDetails`.
 */

/** The prefix of a state's Entered/Exited events: Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map. */
export function stateEventPrefix(type: unknown): string {
  return typeof type === "string" && type.length > 0 ? type : "Task";
}

export function detailsKey(type: string): string {
  if (type.endsWith("StateEntered")) return "stateEnteredEventDetails";
  if (type.endsWith("StateExited")) return "stateExitedEventDetails";
  return `${type[0]?.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** How history names a task's resource: `arn:…:states:::lambda:invoke.waitForTaskToken` → lambda / invoke.waitForTaskToken. */
export function taskResource(resource: string): {
  resourceType: string;
  resource: string;
  lambdaArn: boolean;
} {
  const integration = /^arn:[^:]+:states:::(.+):([^:]+)$/.exec(resource);
  if (integration)
    return { resourceType: integration[1] ?? "", resource: integration[2] ?? "", lambdaArn: false };
  if (/^arn:[^:]+:lambda:/.test(resource)) return { resourceType: "lambda", resource, lambdaArn: true };
  return { resourceType: "activity", resource, lambdaArn: false };
}

/** The data-size note every input/output detail carries. */
export function payload(key: "input" | "output", value: unknown): Record<string, unknown> {
  return { [key]: JSON.stringify(value) ?? "null", [`${key}Details`]: { truncated: false } };
}
