/**
 * S3 event notifications: the engine's ObjectChangeSink, the durable outbox it writes, and the
 * dispatcher that delivers to functions, queues and the default bus through NotificationTargets.
 */

export { eventKey } from "./event-key.ts";
export type { S3BusEvent } from "./eventbridge-event.ts";
export type { NotificationEvent, NotificationTargets } from "./notification-dispatcher.ts";
export type { S3NotificationsOptions } from "./s3-notifications.ts";
export { S3Notifications } from "./s3-notifications.ts";
