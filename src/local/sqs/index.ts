/**
 * SQS: the queue engine (SQLite), its errors and types, and its JSON and query protocols.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { queueDoesNotExist, SqsError } from "./errors.ts";
export { createQueueService } from "./queue-service.ts";
export type {
  MessageAttributes,
  QueueService,
  QueueStats,
  ReceivedMessage,
  SendMessageInput,
  SendMessageResult,
} from "./types.ts";
export type { Json } from "./wire/input.ts";
export { handleSqsJson, SQS_TARGET_PREFIX } from "./wire/sqs-json.ts";
export { handleSqsQuery } from "./wire/sqs-query.ts";
