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
export { errorXml } from "./wire/s3-xml.ts";
