/**
 * EventBridge as a Task: `arn:…:states:::events:putEvents` (and `.waitForTaskToken`). Each entry's
 * Detail may be a JSON object (sent as its JSON text); Source, DetailType and EventBusName are as
 * the user wrote them; the execution's ARN and its state machine's ARN are appended to each entry's
 * Resources. The result is PutEvents' response `{ Entries, FailedEntryCount }`; a non-zero
 * FailedEntryCount fails the task with `EventBridge.FailedEntry`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
 */
import { stateMachineArnOf } from "../../../model/naming.ts";
import type { PutEventsEntry } from "../../events/index.ts";
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import { failed, faultOutcome, field, runtimeFailure, succeeded, textOf } from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

export function putEventsTask(services: TaskServices, request: TaskRequest): TaskOutcome {
  const entries = field(request.parameters, "Entries");
  if (!Array.isArray(entries) || entries.length === 0) {
    return runtimeFailure("events:putEvents needs Entries: a list of 1 to 10 events");
  }
  const resources = [request.executionArn, machineArnOf(request.executionArn)];
  const sent: PutEventsEntry[] = entries.map((entry: unknown) => {
    const detail = field(entry, "Detail");
    const written = field(entry, "Resources");
    const text = (name: string) => {
      const value = field(entry, name);
      return typeof value === "string" ? { [name]: value } : {};
    };
    return {
      ...text("Source"),
      ...text("DetailType"),
      ...text("EventBusName"),
      ...text("TraceHeader"),
      ...(detail === undefined ? {} : { Detail: textOf(detail) }),
      Resources: [
        ...(Array.isArray(written) ? written.filter((r) => typeof r === "string") : []),
        ...resources,
      ],
    };
  });
  let result: { readonly FailedEntryCount: number; readonly Entries: readonly object[] };
  try {
    result = services.events.putEvents(sent);
  } catch (error) {
    return faultOutcome(error, "AmazonEventBridge", (code) => `EventBridge.${code}`);
  }
  const response = { Entries: result.Entries, FailedEntryCount: result.FailedEntryCount };
  if (result.FailedEntryCount > 0) return failed("EventBridge.FailedEntry", JSON.stringify(response));
  return succeeded(response);
}

/** `…:execution:<machine>:<name>` or `…:express:<machine>:<name>:<id>` → the machine's ARN. */
function machineArnOf(executionArn: string): string {
  const [, , , region = "", account = "", , machine = ""] = executionArn.split(":");
  return stateMachineArnOf(region, account, machine);
}
