import { SqsError } from "../errors.ts";
import type { SqsAction } from "./action.ts";
import { SQS_MESSAGE_ACTIONS } from "./message-actions.ts";
import { SQS_QUEUE_ACTIONS } from "./queue-actions.ts";

/** Every SQS action the endpoint serves, by its API name. */
export const SQS_ACTIONS: Readonly<Record<string, SqsAction>> = {
  ...SQS_MESSAGE_ACTIONS,
  ...SQS_QUEUE_ACTIONS,
};

export function sqsAction(name: string): SqsAction {
  const action = Object.hasOwn(SQS_ACTIONS, name) ? SQS_ACTIONS[name] : undefined;
  if (action) return action;
  throw new SqsError(
    "InvalidAction",
    `The action ${name} is not valid for this endpoint. Sluice serves: ${Object.keys(SQS_ACTIONS).join(", ")}.`,
    { action: name },
  );
}
