/**
 * IAM action names Sluice knows, for checking declared permissions and for naming what each API
 * call needs. IAM matches action names case-insensitively; these are AWS's spellings.
 */

/**
 * Every SQS IAM action (Service Authorization Reference, "Actions defined by Amazon SQS",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html). The
 * batch API operations have no actions of their own: SendMessageBatch is authorized by
 * sqs:SendMessage, DeleteMessageBatch by sqs:DeleteMessage, ChangeMessageVisibilityBatch by
 * sqs:ChangeMessageVisibility.
 */
export const SQS_ACTIONS = [
  "AddPermission",
  "CancelMessageMoveTask",
  "ChangeMessageVisibility",
  "CreateQueue",
  "DeleteMessage",
  "DeleteQueue",
  "GetQueueAttributes",
  "GetQueueUrl",
  "ListDeadLetterSourceQueues",
  "ListMessageMoveTasks",
  "ListQueueTags",
  "ListQueues",
  "PurgeQueue",
  "ReceiveMessage",
  "RemovePermission",
  "SendMessage",
  "SetQueueAttributes",
  "StartMessageMoveTask",
  "TagQueue",
  "UntagQueue",
] as const;

/** API operations whose IAM action has another name. */
export const ACTION_ALIASES: Readonly<Record<string, string>> = {
  "sqs:sendmessagebatch": "sqs:SendMessage",
  "sqs:deletemessagebatch": "sqs:DeleteMessage",
  "sqs:changemessagevisibilitybatch": "sqs:ChangeMessageVisibility",
  "lambda:invoke": "lambda:InvokeFunction",
};

/**
 * Actions that support no resource-level permissions: IAM evaluates them against `*`, so a
 * statement must name `*` as its resource to allow them.
 */
export const RESOURCE_WILDCARD_ACTIONS: readonly string[] = ["sqs:ListQueues", "lambda:ListFunctions"];

/** IAM's shape of an action: `service:Action`, where the action may hold `*` and `?`. */
export const IAM_ACTION_PATTERN = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/i;
