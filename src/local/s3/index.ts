/**
 * S3: buckets and objects in the account's store, S3 URLs, and the REST protocol.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */

export type { CorsRequest, CorsResourceType } from "./cors.ts";
export { corsPreflight, corsResponseHeaders, requestedHeaders } from "./cors.ts";
export type { KeptBucket } from "./ensure-buckets.ts";
export { countObjects, ensureBuckets } from "./ensure-buckets.ts";
export { S3Error } from "./errors.ts";
export type {
  NotificationEvent,
  NotificationTargets,
  S3BusEvent,
  S3NotificationsOptions,
} from "./notifications/index.ts";
export { S3Notifications } from "./notifications/index.ts";
export { deleteRequestObjects } from "./s3-delete-objects.ts";
export { S3Store } from "./s3-store.ts";
export { parseS3Url } from "./s3-url.ts";
export type { WebsiteUrls } from "./website/website-servers.ts";
export { WebsiteServers } from "./website/website-servers.ts";
export type { WebsiteRequest, WebsiteResolution } from "./website-resolver.ts";
export { resolveWebsite } from "./website-resolver.ts";
export type { S3Target } from "./wire/s3-request.ts";
export { bucketFromHost, s3Target } from "./wire/s3-request.ts";
export { handleS3 } from "./wire/s3-rest.ts";
export { errorXml } from "./wire/s3-xml.ts";
