/**
 * SQS as a Task: `arn:…:states:::sqs:sendMessage` (and `.waitForTaskToken`, whose message carries
 * the token the user put in it). MessageBody may be any JSON value: text is sent as written, other
 * values as their JSON. The result is SendMessage's response with the SDK's metadata:
 * `{ MD5OfMessageBody, MessageId, SdkHttpMetadata, SdkResponseMetadata }`; an SQS error fails the
 * task as `SQS.<Code>Exception`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
 */
import type { MessageAttributes, SendMessageResult } from "../../sqs/index.ts";
import type { TaskOutcome, TaskRequest } from "../task-port.ts";
import {
  failed,
  faultOutcome,
  field,
  runtimeFailure,
  sdkErrorName,
  sdkMetadata,
  stringField,
  succeeded,
  textOf,
} from "./task-outcomes.ts";
import type { TaskServices } from "./task-services.ts";

export function sendMessageTask(services: TaskServices, request: TaskRequest): TaskOutcome {
  const url = stringField(request.parameters, "QueueUrl");
  if (typeof url !== "string") return runtimeFailure(`sqs:sendMessage: ${url.missing}`);
  const queue = queueOf(services, url);
  if (queue === undefined) {
    return failed(
      "SQS.QueueDoesNotExistException",
      `The specified queue does not exist: ${url} (Service: AmazonSQS, Status Code: 400, Error Code: AWS.SimpleQueueService.NonExistentQueue)`,
    );
  }
  const body = field(request.parameters, "MessageBody");
  if (body === undefined) return runtimeFailure("sqs:sendMessage needs MessageBody");
  const delay = field(request.parameters, "DelaySeconds");
  const group = field(request.parameters, "MessageGroupId");
  const dedup = field(request.parameters, "MessageDeduplicationId");
  const attributes = messageAttributes(field(request.parameters, "MessageAttributes"));
  let sent: SendMessageResult;
  try {
    sent = services.sqs.sendMessage(queue, {
      body: textOf(body),
      ...(typeof delay === "number" ? { delaySeconds: delay } : {}),
      ...(typeof group === "string" ? { messageGroupId: group } : {}),
      ...(typeof dedup === "string" ? { messageDeduplicationId: dedup } : {}),
      ...(attributes ? { messageAttributes: attributes } : {}),
    });
  } catch (error) {
    return faultOutcome(error, "AmazonSQS", (code) => sdkErrorName("SQS", code));
  }
  return succeeded({
    ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
    MD5OfMessageBody: sent.md5OfMessageBody,
    MessageId: sent.messageId,
    ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
    ...sdkMetadata(200),
  });
}

/** The queue a URL names: its last path segment, in this cloud's account. */
function queueOf(services: TaskServices, url: string): string | undefined {
  const segments = url.replace(/\/+$/, "").split("/");
  const name = segments.at(-1) ?? "";
  if (segments.at(-2) !== services.spec.accountId) return undefined;
  try {
    return services.sqs.getQueue(name).queueName;
  } catch {
    return undefined;
  }
}

/** SendMessage's `MessageAttributes` as written in the state: `{ name: { DataType, StringValue | BinaryValue } }`. */
function messageAttributes(value: unknown): MessageAttributes | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const attributes: Record<string, { dataType: string; stringValue?: string; binaryValue?: Uint8Array }> =
    Object.create(null);
  for (const [name, attribute] of Object.entries(value)) {
    const dataType = field(attribute, "DataType");
    const text = field(attribute, "StringValue");
    const binary = field(attribute, "BinaryValue");
    attributes[name] = {
      dataType: typeof dataType === "string" ? dataType : "String",
      ...(typeof text === "string" ? { stringValue: text } : {}),
      ...(typeof binary === "string" ? { binaryValue: Buffer.from(binary, "base64") } : {}),
    };
  }
  return attributes;
}
