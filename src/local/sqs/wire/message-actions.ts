/** SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch). */

import { functionUserId } from "../../../model/iam/principal-id.ts";
import type { Mutable } from "../../../model/mutable.ts";
import { missingParameter, SQS_ERRORS, type SqsErrorCode } from "../errors.ts";
import { md5OfMessageAttributes } from "../md5.ts";
import type {
  BatchResult,
  MessageAttributes,
  ReceivedMessage,
  SendMessageInput,
  SendMessageResult,
} from "../types.ts";
import { authorizedQueue, type SqsAction, type SqsCall } from "./action.ts";
import {
  attributesToJson,
  entryList,
  type Json,
  messageAttributes,
  optionalInteger,
  optionalString,
  requiredString,
  stringList,
} from "./input.ts";

/**
 * One send's input. A function's calls are its role session's: SenderId `AROA…:<function name>`,
 * as on AWS. Built as one literal with optional keys assigned (no spreads: each spread of `{}` is
 * V8's slow path, on every SendMessage; issue 14).
 */
function sendInput(input: Json, call: SqsCall): Mutable<SendMessageInput> {
  // Read in this order so that the first invalid member is the one reported, as before.
  const delaySeconds = optionalInteger(input, "DelaySeconds");
  const attributes = messageAttributes(input, "MessageAttributes");
  const system = messageAttributes(input, "MessageSystemAttributes");
  const groupId = optionalString(input, "MessageGroupId");
  const dedupId = optionalString(input, "MessageDeduplicationId");
  const out: Mutable<SendMessageInput> = { body: requiredString(input, "MessageBody") };
  if (delaySeconds !== undefined) out.delaySeconds = delaySeconds;
  if (attributes) out.messageAttributes = attributes;
  if (system) out.messageSystemAttributes = system;
  if (groupId !== undefined) out.messageGroupId = groupId;
  if (dedupId !== undefined) out.messageDeduplicationId = dedupId;
  if (call.caller) {
    out.senderId = functionUserId(call.caller);
    out.source = `function:${call.caller.name}`;
  }
  // The request's X-Amzn-Trace-Id goes with every message it sends; an AWSTraceHeader system
  // attribute overrides it (validate-message.ts).
  // https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
  if (call.traceHeader !== undefined) out.traceHeader = call.traceHeader;
  return out;
}

/** The answer's members in SQS's order. */
function sendOutput(result: SendMessageResult, id?: string): Json {
  const out: Json = {};
  if (id !== undefined) out.Id = id;
  out.MD5OfMessageBody = result.md5OfMessageBody;
  if (result.md5OfMessageAttributes) out.MD5OfMessageAttributes = result.md5OfMessageAttributes;
  if (result.md5OfMessageSystemAttributes)
    out.MD5OfMessageSystemAttributes = result.md5OfMessageSystemAttributes;
  out.MessageId = result.messageId;
  if (result.sequenceNumber) out.SequenceNumber = result.sequenceNumber;
  return out;
}

/** Failed entries carry the code the query protocol uses (`AWS.SimpleQueueService.…` where it has one). */
function batchOutput<T extends { readonly id: string }>(
  result: BatchResult<T>,
  success: (entry: T) => Json,
): Json {
  return {
    Successful: result.successful.map(success),
    Failed: result.failed.map((f) => ({
      Id: f.id,
      SenderFault: f.senderFault,
      Code: SQS_ERRORS[f.code as SqsErrorCode]?.queryCode ?? f.code,
      Message: f.message,
    })),
  };
}

function visibility(input: Json): number {
  const seconds = optionalInteger(input, "VisibilityTimeout");
  if (seconds === undefined) throw missingParameter("VisibilityTimeout");
  return seconds;
}

/** `All`, `.*`, `prefix.*` or exact names, as ReceiveMessage's MessageAttributeNames allow. */
function pickAttributes(attributes: MessageAttributes, names: readonly string[]): MessageAttributes {
  if (names.includes("All") || names.includes(".*")) return attributes;
  const picked: Record<string, MessageAttributes[string]> = Object.create(null);
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some((n) => (n.endsWith(".*") ? name.startsWith(n.slice(0, -1)) : n === name));
    if (wanted) picked[name] = value;
  }
  return picked;
}

function receivedToJson(
  m: ReceivedMessage,
  systemNames: ReadonlySet<string>,
  attributeNames: string[],
): Json {
  const all = systemNames.has("All");
  const system = Object.assign(
    Object.create(null) as Json,
    Object.fromEntries(Object.entries(m.attributes).filter(([name]) => all || systemNames.has(name))),
  );
  const attributes = pickAttributes(m.messageAttributes, attributeNames);
  const md5 = md5OfMessageAttributes(attributes);
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
    ...(md5 ? { MD5OfMessageAttributes: md5, MessageAttributes: attributesToJson(attributes) } : {}),
  };
}

export const SQS_MESSAGE_ACTIONS: Readonly<Record<string, SqsAction>> = {
  SendMessage(input, call, afterAnswer) {
    const queue = authorizedQueue(call, input, "sqs:SendMessage");
    if (afterAnswer === undefined)
      return sendOutput(call.cloud.sqs.sendMessage(queue.url, sendInput(input, call)));
    const sent = call.cloud.sqs.sendMessageAnsweredFirst(queue.url, sendInput(input, call));
    afterAnswer(sent.store);
    return sendOutput(sent.result);
  },

  SendMessageBatch(input, call) {
    const queue = authorizedQueue(call, input, "sqs:SendMessage");
    const entries = entryList(input, "Entries").map((e) =>
      Object.assign(sendInput(e, call), { id: optionalString(e, "Id") ?? "" }),
    );
    const result = call.cloud.sqs.sendMessageBatch(queue.url, entries);
    return batchOutput(result, (e) => sendOutput(e, e.id));
  },

  async ReceiveMessage(input, call) {
    const queue = authorizedQueue(call, input, "sqs:ReceiveMessage");
    const max = optionalInteger(input, "MaxNumberOfMessages");
    const visibilityTimeout = optionalInteger(input, "VisibilityTimeout");
    const wait = optionalInteger(input, "WaitTimeSeconds");
    const attemptId = optionalString(input, "ReceiveRequestAttemptId");
    const systemNames = new Set([
      ...stringList(input, "AttributeNames"),
      ...stringList(input, "MessageSystemAttributeNames"),
    ]);
    const attributeNames = stringList(input, "MessageAttributeNames");
    const messages = await call.cloud.sqs.receiveMessages(queue.url, {
      ...(max === undefined ? {} : { maxNumberOfMessages: max }),
      ...(visibilityTimeout === undefined ? {} : { visibilityTimeoutSeconds: visibilityTimeout }),
      ...(wait === undefined ? {} : { waitTimeSeconds: wait }),
      ...(attemptId === undefined ? {} : { receiveRequestAttemptId: attemptId }),
      signal: call.signal,
    });
    if (messages.length === 0) return {};
    return { Messages: messages.map((m) => receivedToJson(m, systemNames, attributeNames)) };
  },

  DeleteMessage(input, call) {
    const queue = authorizedQueue(call, input, "sqs:DeleteMessage");
    call.cloud.sqs.deleteMessage(queue.url, requiredString(input, "ReceiptHandle"));
    return {};
  },

  DeleteMessageBatch(input, call) {
    const queue = authorizedQueue(call, input, "sqs:DeleteMessage");
    const entries = entryList(input, "Entries").map((e) => ({
      id: optionalString(e, "Id") ?? "",
      receiptHandle: optionalString(e, "ReceiptHandle") ?? "",
    }));
    return batchOutput(call.cloud.sqs.deleteMessageBatch(queue.url, entries), (e) => ({ Id: e.id }));
  },

  ChangeMessageVisibility(input, call) {
    const queue = authorizedQueue(call, input, "sqs:ChangeMessageVisibility");
    const handle = requiredString(input, "ReceiptHandle");
    call.cloud.sqs.changeMessageVisibility(queue.url, handle, visibility(input));
    return {};
  },

  ChangeMessageVisibilityBatch(input, call) {
    const queue = authorizedQueue(call, input, "sqs:ChangeMessageVisibility");
    const entries = entryList(input, "Entries").map((e) => ({
      id: optionalString(e, "Id") ?? "",
      receiptHandle: optionalString(e, "ReceiptHandle") ?? "",
      visibilityTimeoutSeconds: optionalInteger(e, "VisibilityTimeout") ?? Number.NaN,
    }));
    return batchOutput(call.cloud.sqs.changeMessageVisibilityBatch(queue.url, entries), (e) => ({
      Id: e.id,
    }));
  },
};
