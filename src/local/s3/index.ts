/**
 * S3: buckets and objects in the account's store, S3 URLs, and the REST protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { S3Error } from "./errors.ts";
export { S3Store } from "./s3-store.ts";
export { parseS3Url } from "./s3-url.ts";
export { handleS3 } from "./wire/s3-rest.ts";
export { deleteRequestObjects } from "./s3-delete-objects.ts";
export { errorXml } from "./wire/s3-xml.ts";
export { corsPreflight, corsResponseHeaders, requestedHeaders } from "./cors.ts";
export type { CorsRequest, CorsResourceType } from "./cors.ts";
export { resolveWebsite } from "./website-resolver.ts";
export type { WebsiteRequest, WebsiteResolution } from "./website-resolver.ts";
export { countObjects, ensureBuckets } from "./ensure-buckets.ts";
export type { KeptBucket } from "./ensure-buckets.ts";
export { s3Target } from "./wire/s3-request.ts";
export type { S3Target } from "./wire/s3-request.ts";
export { WebsiteServers } from "./website/website-servers.ts";
export type { WebsiteUrls } from "./website/website-servers.ts";
export { S3Notifications } from "./notifications/index.ts";
export type {
  NotificationEvent,
  NotificationTargets,
  S3BusEvent,
  S3NotificationsOptions,
} from "./notifications/index.ts";
export { bucketFromHost } from "./wire/s3-request.ts";
