/** Queue management: create, find, list, attributes, tags, purge, delete, dead-letter redrive. */
import type { QueueSpec } from "../../../model/app-spec.ts";
import { LIMITS } from "../../../model/limits.ts";
import { invalidParameter, queueDoesNotExist, SqsError } from "../errors.ts";
import type { SqsCall } from "./action.ts";
import { authorizedQueue, queueRef, type SqsAction } from "./action.ts";
import {
  type Json,
  optionalInteger,
  optionalString,
  requiredString,
  stringList,
  stringMap,
} from "./input.ts";

const MAX_LIST = LIMITS.sqs.listQueuesResults.max;

/** ListQueues / ListDeadLetterSourceQueues paging: NextToken only when MaxResults was given, as SQS does. */
function page(call: SqsCall, input: Json, specs: readonly QueueSpec[], member: string): Json {
  const max = optionalInteger(input, "MaxResults");
  if (max !== undefined && (max < 1 || max > MAX_LIST)) {
    throw invalidParameter("MaxResults", max, `Must be an integer from 1 to ${MAX_LIST}.`);
  }
  const token = optionalString(input, "NextToken");
  const after = token === undefined ? undefined : decodeToken(token);
  const names = specs.map((s) => s.queueName).sort();
  const start = after === undefined ? 0 : names.findIndex((n) => n > after);
  const rest = start === -1 ? [] : names.slice(start);
  const shown = rest.slice(0, max ?? MAX_LIST);
  const urls = shown.map((name) => queueRef(call, name).url);
  const more = max !== undefined && rest.length > shown.length;
  return {
    ...(urls.length > 0 ? { [member]: urls } : {}),
    ...(more ? { NextToken: Buffer.from(JSON.stringify({ after: shown.at(-1) })).toString("base64") } : {}),
  };
}

function decodeToken(token: string): string {
  try {
    const after = (JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { after?: unknown }).after;
    if (typeof after === "string") return after;
  } catch {}
  throw invalidParameter("NextToken", token, "Pass the NextToken of the previous response unchanged.");
}

/** A queue by physical name, as the API sees queues (definition names are Sluice's, not AWS's). */
function physical(call: SqsCall, name: string): QueueSpec {
  const spec = call.cloud.sqs.listQueues().find((q) => q.queueName === name);
  if (!spec) throw queueDoesNotExist(name);
  return spec;
}

export const SQS_QUEUE_ACTIONS: Readonly<Record<string, SqsAction>> = {
  CreateQueue(input, call) {
    const name = requiredString(input, "QueueName");
    call.authorize("sqs:CreateQueue", queueRef(call, name).arn);
    const spec = call.cloud.sqs.createQueueWithAttributes(
      name,
      stringMap(input, "Attributes"),
      stringMap(input, "tags"),
    );
    return { QueueUrl: queueRef(call, spec.queueName).url };
  },

  GetQueueUrl(input, call) {
    const name = requiredString(input, "QueueName");
    const owner = optionalString(input, "QueueOwnerAWSAccountId");
    // Another owner's queue is checked as theirs, then does not exist here (resource-scope.ts).
    const queue = queueRef(call, name, owner === undefined ? {} : { account: owner });
    call.authorize("sqs:GetQueueUrl", queue.arn);
    physical(call, name);
    return { QueueUrl: queue.url };
  },

  ListQueues(input, call) {
    call.authorize("sqs:ListQueues", "*");
    const prefix = optionalString(input, "QueueNamePrefix") ?? "";
    // A client signed for a region the cloud does not serve sees that region: empty.
    const served = call.region === call.spec.region ? call.cloud.sqs.listQueues() : [];
    const specs = served.filter((q) => q.queueName.startsWith(prefix));
    return page(call, input, specs, "QueueUrls");
  },

  GetQueueAttributes(input, call) {
    const queue = authorizedQueue(call, input, "sqs:GetQueueAttributes");
    const names = stringList(input, "AttributeNames");
    const attributes = call.cloud.sqs.getQueueAttributes(queue.url, names);
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },

  SetQueueAttributes(input, call) {
    const queue = authorizedQueue(call, input, "sqs:SetQueueAttributes");
    const attributes = stringMap(input, "Attributes");
    if (Object.keys(attributes).length === 0) {
      throw new SqsError("MissingParameter", "The request must contain the parameter Attribute.Name.");
    }
    call.cloud.sqs.setQueueAttributes(queue.url, attributes);
    return {};
  },

  DeleteQueue(input, call) {
    const queue = authorizedQueue(call, input, "sqs:DeleteQueue");
    const declared = Object.values(call.spec.queues).find((q) => q.queueName === queue.name);
    if (declared) {
      // The definition owns its queues (its consumers poll them); `dev` would recreate it anyway.
      throw new SqsError(
        "UnsupportedOperation",
        `Queue ${queue.name} is declared in sluice.config.ts (queues.${declared.name}); remove it from the definition to delete it. Queues created through the API can be deleted.`,
        { queue: queue.name },
      );
    }
    call.cloud.sqs.deleteQueue(queue.url);
    return {};
  },

  PurgeQueue(input, call) {
    const queue = authorizedQueue(call, input, "sqs:PurgeQueue");
    call.cloud.sqs.purgeQueue(queue.url);
    return {};
  },

  TagQueue(input, call) {
    const queue = authorizedQueue(call, input, "sqs:TagQueue");
    call.cloud.sqs.tagQueue(queue.url, stringMap(input, "Tags"));
    return {};
  },

  UntagQueue(input, call) {
    const queue = authorizedQueue(call, input, "sqs:UntagQueue");
    call.cloud.sqs.untagQueue(queue.url, stringList(input, "TagKeys"));
    return {};
  },

  ListQueueTags(input, call) {
    const queue = authorizedQueue(call, input, "sqs:ListQueueTags");
    const tags = call.cloud.sqs.listQueueTags(queue.url);
    return Object.keys(tags).length > 0 ? { Tags: tags } : {};
  },

  ListDeadLetterSourceQueues(input, call) {
    const queue = authorizedQueue(call, input, "sqs:ListDeadLetterSourceQueues");
    const sources = call.cloud.sqs.deadLetterSourceQueues(queue.url);
    return { queueUrls: [], ...page(call, input, sources, "queueUrls") };
  },

  StartMessageMoveTask(input, call) {
    const source = requiredString(input, "SourceArn");
    call.authorize("sqs:StartMessageMoveTask", source);
    const destination = optionalString(input, "DestinationArn");
    const rate = optionalInteger(input, "MaxNumberOfMessagesPerSecond");
    const { taskHandle } = call.cloud.sqs.startMessageMoveTask({
      sourceArn: source,
      ...(destination === undefined ? {} : { destinationArn: destination }),
      ...(rate === undefined ? {} : { maxNumberOfMessagesPerSecond: rate }),
    });
    return { TaskHandle: taskHandle };
  },

  ListMessageMoveTasks(input, call) {
    const source = requiredString(input, "SourceArn");
    call.authorize("sqs:ListMessageMoveTasks", source);
    const tasks = call.cloud.sqs.listMessageMoveTasks(source, optionalInteger(input, "MaxResults"));
    return {
      Results: tasks.map((t) => ({
        ...(t.taskHandle === undefined ? {} : { TaskHandle: t.taskHandle }),
        Status: t.status,
        SourceArn: t.sourceArn,
        ...(t.destinationArn === undefined ? {} : { DestinationArn: t.destinationArn }),
        ...(t.maxNumberOfMessagesPerSecond === undefined
          ? {}
          : { MaxNumberOfMessagesPerSecond: t.maxNumberOfMessagesPerSecond }),
        ApproximateNumberOfMessagesMoved: t.approximateNumberOfMessagesMoved,
        ApproximateNumberOfMessagesToMove: t.approximateNumberOfMessagesToMove,
        ...(t.failureReason === undefined ? {} : { FailureReason: t.failureReason }),
        StartedTimestamp: t.startedTimestamp,
      })),
    };
  },
};
