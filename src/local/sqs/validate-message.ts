import type { QueueSpec } from "../../model/app-spec.ts";
import { matchesLimit, withinLimit } from "../../model/limit-rules.ts";
import { LIMITS, type LimitRow } from "../../model/limits.ts";
import { invalidParameter, missingParameter, SqsError } from "./errors.ts";
import { baseType, isBinaryType, md5OfBody, md5OfMessageAttributes } from "./md5.ts";
import { encodeAttributes } from "./stored-attributes.ts";
import type { MessageAttributes, SendMessageInput } from "./types.ts";

/** A send that passed every check, with what the store needs precomputed. */
export interface PreparedMessage {
  readonly body: string;
  readonly md5Body: string;
  readonly attributesJson: string | null;
  readonly md5Attributes: string | undefined;
  readonly systemAttributesJson: string | null;
  readonly md5SystemAttributes: string | undefined;
  readonly groupId: string | null;
  /** FIFO: the explicit id, or the SHA-256 of the body with content-based deduplication. */
  readonly dedupId: string | null;
  readonly delaySeconds: number;
  /** SenderId to record; null for the account's own. */
  readonly senderId: string | null;
  /**
   * The trace header the sender gave: its AWSTraceHeader system attribute, else its request's
   * X-Amzn-Trace-Id (the attribute overrides the header, as on AWS); null when it gave none.
   * https://docs.aws.amazon.com/xray/latest/devguide/xray-services-sqs.html
   */
  readonly givenTraceHeader: string | null;
}

/** SQS's allowed characters (XML 1.0 Char); anything else, lone surrogates included, is rejected. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const {
  messageAttributes,
  messageAttributeName,
  delaySeconds: DELAY,
  messageGroupId,
  messageDeduplicationId,
} = LIMITS.sqs;

export function prepareMessage(
  spec: QueueSpec,
  input: SendMessageInput,
  sha256: (body: string) => string,
): PreparedMessage {
  const body = input.body;
  if (typeof body !== "string" || body.length === 0) throw missingParameter("MessageBody");
  checkCharacters(body, "the message body");
  const attributeBytes = checkAttributes(input.messageAttributes);
  checkSystemAttributes(input.messageSystemAttributes);
  const size = Buffer.byteLength(body, "utf8") + attributeBytes;
  if (size > spec.maxMessageSize) {
    throw new SqsError(
      "InvalidParameterValue",
      `One or more parameters are invalid. Reason: Message must be shorter than ${spec.maxMessageSize} bytes. This message's body and attributes are ${size} bytes; send less, or store the payload elsewhere and send a reference.`,
      { queue: spec.queueName, size },
    );
  }
  const delaySeconds = checkDelay(spec, input.delaySeconds);
  const { groupId, dedupId } = checkFifoIds(spec, input, sha256);
  return {
    body,
    md5Body: md5OfBody(body),
    attributesJson: encodeAttributes(input.messageAttributes),
    md5Attributes: md5OfMessageAttributes(input.messageAttributes),
    // SQS keeps a request's X-Amzn-Trace-Id as the message's AWSTraceHeader when the send sets no
    // such system attribute, so receivers see it either way (xray-services-sqs.html above).
    systemAttributesJson:
      encodeAttributes(input.messageSystemAttributes) ??
      (input.traceHeader === undefined ? null : headerAttribute(input.traceHeader)),
    md5SystemAttributes: md5OfMessageAttributes(input.messageSystemAttributes),
    groupId,
    dedupId,
    delaySeconds,
    senderId: input.senderId ?? null,
    givenTraceHeader:
      input.messageSystemAttributes?.AWSTraceHeader?.stringValue ??
      input.traceHeader ??
      input.linkedTraceHeader ??
      null,
  };
}

/** A send's X-Amzn-Trace-Id, stored as the AWSTraceHeader system attribute receivers see. */
function headerAttribute(traceHeader: string): string | null {
  return encodeAttributes({ AWSTraceHeader: { dataType: "String", stringValue: traceHeader } });
}

function checkCharacters(text: string, what: string): void {
  const found = INVALID_CHARACTER.exec(text);
  if (!found) return;
  const code = found[0].codePointAt(0) ?? 0;
  throw new SqsError(
    "InvalidMessageContents",
    `Invalid character #x${code.toString(16).toUpperCase()} in ${what} at index ${found.index}. Allowed: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF; encode binary data (e.g. base64) first.`,
    { index: found.index },
  );
}

/** Returns the bytes the attributes add to the message size (name, type and value all count). */
function checkAttributes(attributes: MessageAttributes | undefined): number {
  if (!attributes) return 0;
  const names = Object.keys(attributes);
  if (names.length > messageAttributes.max) {
    throw new SqsError(
      "InvalidParameterValue",
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${messageAttributes.max}].`,
    );
  }
  let bytes = 0;
  for (const name of names) {
    const attribute = attributes[name];
    checkAttributeName(name);
    if (!attribute || typeof attribute.dataType !== "string" || attribute.dataType.length === 0) {
      throw new SqsError("InvalidParameterValue", `The message attribute '${name}' must contain a DataType.`);
    }
    const type = baseType(attribute.dataType);
    if (type !== "String" && type !== "Number" && type !== "Binary") {
      throw new SqsError(
        "InvalidParameterValue",
        `The message attribute '${name}' has an invalid message attribute type '${attribute.dataType}', the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength(attribute.dataType, "utf8");
    if (isBinaryType(attribute.dataType)) {
      if (!attribute.binaryValue || attribute.binaryValue.length === 0) throw emptyValue(name, "Binary");
      bytes += attribute.binaryValue.length;
      continue;
    }
    const value = attribute.stringValue;
    if (typeof value !== "string" || value.length === 0) throw emptyValue(name, type);
    if (type === "Number" && !NUMBER.test(value)) {
      throw new SqsError(
        "InvalidParameterValue",
        `Can't cast the value of message (user) attribute '${name}' to a number: '${value}'.`,
      );
    }
    checkCharacters(value, `message attribute '${name}'`);
    bytes += Buffer.byteLength(value, "utf8");
  }
  return bytes;
}

function checkAttributeName(name: string): void {
  const lower = name.toLowerCase();
  const reserved = lower.startsWith("aws.") || lower.startsWith("amazon.");
  const malformed =
    !matchesLimit(messageAttributeName, name) ||
    name.startsWith(".") ||
    name.endsWith(".") ||
    name.includes("..");
  if (!reserved && !malformed) return;
  throw new SqsError(
    "InvalidParameterValue",
    reserved
      ? `Message (user) attribute name '${name}' is reserved for use by Amazon SQS: names can't start with "AWS." or "Amazon.".`
      : `Message (user) attribute name '${name}' is invalid: use ${messageAttributeName.min}–${messageAttributeName.max} of A-Z a-z 0-9 _ - . without a leading, trailing or doubled period.`,
  );
}

function emptyValue(name: string, type: string): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    `Message (user) attribute '${name}' must contain a non-empty value of type '${type}'.`,
  );
}

function checkSystemAttributes(attributes: MessageAttributes | undefined): void {
  if (!attributes) return;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (name !== "AWSTraceHeader") {
      throw new SqsError(
        "InvalidParameterValue",
        `Message system attribute name '${name}' is invalid. The only one you may send is AWSTraceHeader.`,
      );
    }
    if (attribute.dataType !== "String" || !attribute.stringValue) {
      throw new SqsError(
        "InvalidParameterValue",
        "Message system attribute AWSTraceHeader must be a non-empty value of type 'String'.",
      );
    }
  }
}

function checkDelay(spec: QueueSpec, delaySeconds: number | undefined): number {
  if (delaySeconds === undefined) return spec.delaySeconds;
  if (!withinLimit(DELAY, delaySeconds)) {
    throw invalidParameter(
      "DelaySeconds",
      delaySeconds,
      `DelaySeconds must be >= ${DELAY.min} and <= ${DELAY.max}.`,
    );
  }
  // FIFO queues only have a queue-level delay; 0 changes nothing, so it is let through.
  if (spec.fifo && delaySeconds !== 0) {
    throw invalidParameter(
      "DelaySeconds",
      delaySeconds,
      "The request include parameter that is not valid for this queue type. FIFO queues take a delay on the queue only.",
    );
  }
  return spec.fifo ? spec.delaySeconds : delaySeconds;
}

function checkFifoIds(
  spec: QueueSpec,
  input: SendMessageInput,
  sha256: (body: string) => string,
): { groupId: string | null; dedupId: string | null } {
  const { messageGroupId: groupId, messageDeduplicationId: dedupId } = input;
  checkFifoId("MessageGroupId", groupId, messageGroupId);
  checkFifoId("MessageDeduplicationId", dedupId, messageDeduplicationId);
  if (!spec.fifo) {
    // Standard queues accept MessageGroupId (fair queues) but not deduplication ids.
    if (dedupId !== undefined) {
      throw invalidParameter(
        "MessageDeduplicationId",
        dedupId,
        "The request include parameter that is not valid for this queue type. Deduplication applies to FIFO queues only.",
      );
    }
    return { groupId: groupId ?? null, dedupId: null };
  }
  if (groupId === undefined) throw missingParameter("MessageGroupId");
  if (dedupId !== undefined) return { groupId, dedupId };
  if (!spec.contentBasedDeduplication) {
    throw new SqsError(
      "InvalidParameterValue",
      `The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly (queue ${spec.queueName}).`,
      { queue: spec.queueName },
    );
  }
  return { groupId, dedupId: sha256(input.body) };
}

/**
 * Refuses a FIFO id (message group, deduplication, receive attempt) that breaks its limits row's
 * length or characters; an absent one passes.
 */
export function checkFifoId(
  parameter: string,
  value: string | undefined,
  limit: LimitRow & { readonly min: number; readonly max: number },
): void {
  if (value === undefined || matchesLimit(limit, value)) return;
  throw invalidParameter(
    parameter,
    value,
    `Use ${limit.min}–${limit.max} alphanumeric or punctuation characters.`,
  );
}

/** Bytes a message counts against the size limit: body plus every attribute's name, type and value. */
export function messageSize(input: SendMessageInput): number {
  let bytes = typeof input.body === "string" ? Buffer.byteLength(input.body, "utf8") : 0;
  for (const [name, a] of Object.entries(input.messageAttributes ?? {})) {
    bytes += Buffer.byteLength(name, "utf8") + Buffer.byteLength(a?.dataType ?? "", "utf8");
    bytes += a?.binaryValue ? a.binaryValue.length : Buffer.byteLength(a?.stringValue ?? "", "utf8");
  }
  return bytes;
}
