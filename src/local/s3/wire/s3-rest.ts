/**
 * S3 over REST-XML: ListBuckets, CreateBucket, HeadBucket, GetBucketLocation, DeleteBucket,
 * ListObjectsV2, ListObjectVersions, PutObject, CopyObject, GetObject, HeadObject, DeleteObject,
 * DeleteObjects, multipart uploads (create, upload part, complete, abort), object tagging and the
 * bucket subresources of bucket-subresources.ts (versioning, lifecycle, CORS, website,
 * notification, tagging, policy, public access block). Anything else answers NotImplemented (501)
 * naming what was asked for. Recognising an S3 request (SigV4 service `s3`) is the host's job;
 * `isS3Request` helps.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { S3Error } from "../errors.ts";
import { deleteObjects } from "../s3-delete-objects.ts";
import { handleMultipart } from "../s3-multipart.ts";
import { changeOrigin, checkTags, deleteObject, getObject, putObject } from "../s3-objects.ts";
import type { S3Store } from "../s3-store.ts";
import { parseTagSet, renderTagSet, SUBRESOURCES } from "./bucket-subresources.ts";
import { listObjects, listObjectsV1, listVersions } from "./list-operations.ts";
import { s3Target } from "./s3-request.ts";
import { type S3Context, send, sendError } from "./s3-response.ts";
import { listBucketsXml, locationXml, parseLocationConstraint } from "./s3-xml.ts";

export { bucketFromHost, isS3Request } from "./s3-request.ts";
export type { S3Context } from "./s3-response.ts";

/** Query parameters that select no other operation (SDK bookkeeping and list options). */
const PLAIN_PARAMETERS = new Set([
  "x-id",
  "list-type",
  "prefix",
  "delimiter",
  "max-keys",
  "continuation-token",
  "start-after",
  "encoding-type",
  "fetch-owner",
  "location",
  "delete",
  "max-buckets",
  "marker",
  "bucket-region",
  "partNumber",
  "uploads",
  "uploadId",
  "versionId",
  "versions",
  "key-marker",
  "version-id-marker",
  "tagging",
  ...Object.keys(SUBRESOURCES),
]);

export async function handleS3(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  context: S3Context,
): Promise<void> {
  const head = req.method === "HEAD";
  try {
    const target = s3Target(req);
    for (const name of target.query.keys()) {
      if (!PLAIN_PARAMETERS.has(name) && !name.startsWith("response-") && !/^x-amz-/i.test(name)) {
        throw notImplemented(`the "${name}" subresource`);
      }
    }
    const method = req.method ?? "GET";
    if (target.bucket === undefined) {
      if (method !== "GET") throw methodNotAllowed(method, "the service");
      // ListBuckets: every bucket in one page (no ContinuationToken), filtered as asked.
      const prefix = target.query.get("prefix") ?? "";
      const region = target.query.get("bucket-region");
      const buckets = store
        .buckets()
        .filter((b) => b.name.startsWith(prefix) && (region === null || b.region === region));
      send(res, 200, context, {}, listBucketsXml(buckets, context.accountId));
      return;
    }
    const bucket = target.bucket;
    if (target.key === undefined) {
      if (method === "POST" && target.query.has("delete")) {
        send(
          res,
          200,
          context,
          {},
          deleteObjects(store, bucket, body, req.headers, changeOrigin(req, context)),
        );
        return;
      }
      if (target.query.has("uploads")) throw notImplemented("ListMultipartUploads");
      bucketOperation(store, method, bucket, target.query, body, res, context);
      return;
    }
    const object = { bucket, key: target.key, query: target.query };
    if (handleMultipart(store, req, res, body, object, context)) return;
    if (target.query.has("partNumber")) throw notImplemented("GetObject by part number (partNumber)");
    if (target.query.has("tagging")) {
      objectTagging(store, req, res, body, object, context);
      return;
    }
    for (const name of Object.keys(SUBRESOURCES)) {
      if (name !== "tagging" && target.query.has(name))
        throw notImplemented(`the "${name}" subresource on an object`);
    }
    if (method === "PUT") putObject(store, req, res, body, object, context);
    else if (method === "GET" || method === "HEAD") getObject(store, req, res, object, context, head);
    else if (method === "DELETE") deleteObject(store, req, res, object, context);
    else throw methodNotAllowed(method, "an object");
  } catch (error) {
    sendError(res, error, context, head);
  }
}

function bucketOperation(
  store: S3Store,
  method: string,
  bucket: string,
  query: URLSearchParams,
  body: Buffer,
  res: ServerResponse,
  context: S3Context,
): void {
  const subresource = Object.keys(SUBRESOURCES).find((name) => query.has(name));
  if (subresource !== undefined) {
    bucketSubresource(store, method, bucket, subresource, body, res, context);
    return;
  }
  switch (method) {
    case "PUT": {
      store.createBucket(
        bucket,
        bucketRegion(parseLocationConstraint(body), context.region),
        context.accountId,
      );
      send(res, 200, context, { location: `/${bucket}` });
      return;
    }
    case "HEAD": {
      const info = store.bucket(bucket);
      if (!info) throw new S3Error("NoSuchBucket", { BucketName: bucket });
      send(res, 200, context, { "x-amz-bucket-region": info.region });
      return;
    }
    case "DELETE":
      store.deleteBucket(bucket);
      send(res, 204, context);
      return;
    case "GET": {
      if (query.has("location")) {
        const info = store.bucket(bucket);
        if (!info) throw new S3Error("NoSuchBucket", { BucketName: bucket });
        send(res, 200, context, {}, locationXml(info.region));
        return;
      }
      if (query.has("versions")) {
        listVersions(store, bucket, query, res, context);
        return;
      }
      if (query.get("list-type") !== "2") {
        listObjectsV1(store, bucket, query, res, context);
        return;
      }
      listObjects(store, bucket, query, res, context);
      return;
    }
    default:
      throw methodNotAllowed(method, "a bucket");
  }
}

/** GET, PUT or DELETE of a bucket subresource, stored under its AWS::S3::Bucket property. */
function bucketSubresource(
  store: S3Store,
  method: string,
  bucket: string,
  name: string,
  body: Buffer,
  res: ServerResponse,
  context: S3Context,
): void {
  const sub = SUBRESOURCES[name];
  if (!sub) throw notImplemented(`the "${name}" subresource`);
  const info = store.bucket(bucket);
  if (!info) throw new S3Error("NoSuchBucket", { BucketName: bucket });
  if (method === "GET") {
    const value = info.configuration[sub.property];
    const absent = value === undefined || (Array.isArray(value) && value.length === 0);
    if (absent && sub.missing) throw new S3Error(sub.missing.code, { BucketName: bucket });
    send(res, 200, context, sub.contentType ? { "content-type": sub.contentType } : {}, sub.render(value));
    return;
  }
  if (method === "PUT") {
    const value = sub.parse(body);
    if (name === "tagging") checkBucketTags(value as { Key: string; Value: string }[]);
    store.setBucketProperty(bucket, sub.property, value);
    send(res, sub.putStatus ?? 200, context);
    return;
  }
  if (method === "DELETE" && sub.deletable) {
    store.setBucketProperty(bucket, sub.property, undefined);
    send(res, 204, context);
    return;
  }
  throw methodNotAllowed(method, `a bucket's ${name}`);
}

function checkBucketTags(tags: readonly { Key: string; Value: string }[]): void {
  // A bucket may carry 50 tags (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html).
  if (tags.length > 50) throw new S3Error("InvalidTag", {}, "Bucket tag count cannot be greater than 50");
}

/** GetObjectTagging, PutObjectTagging, DeleteObjectTagging (`?tagging` on an object). */
function objectTagging(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  target: { bucket: string; key: string; query: URLSearchParams },
  context: S3Context,
): void {
  const versionId = target.query.get("versionId") ?? undefined;
  const method = req.method ?? "GET";
  const versionHeaders = (id: string): Record<string, string> =>
    store.versioning(target.bucket) === "Unversioned" ? {} : { "x-amz-version-id": id };
  if (method === "GET") {
    const { tags, versionId: id } = store.objectTags(target.bucket, target.key, versionId);
    const xml = renderTagSet(Object.entries(tags).map(([Key, Value]) => ({ Key, Value })));
    send(res, 200, context, versionHeaders(id), xml);
    return;
  }
  if (method === "PUT" || method === "DELETE") {
    let tags: Record<string, string> | undefined;
    if (method === "PUT") {
      tags = Object.create(null) as Record<string, string>;
      for (const tag of parseTagSet(body)) tags[tag.Key] = tag.Value;
      checkTags(tags);
    }
    const { versionId: id } = store.setObjectTags(target.bucket, target.key, tags, {
      ...(versionId === undefined ? {} : { versionId }),
      origin: changeOrigin(req, context),
    });
    send(res, method === "PUT" ? 200 : 204, context, versionHeaders(id));
    return;
  }
  throw methodNotAllowed(method, "an object's tagging");
}

/**
 * The region a CreateBucket makes its bucket in. A regional endpoint takes only its own region's
 * constraint, and us-east-1's is empty: S3 refuses `us-east-1` spelled out and an absent one
 * anywhere else (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
 */
function bucketRegion(constraint: string | undefined, endpointRegion: string): string {
  if (constraint === "us-east-1") {
    throw new S3Error("InvalidLocationConstraint", { LocationConstraint: constraint });
  }
  const region = constraint ?? "us-east-1";
  if (region !== endpointRegion) {
    const named = constraint === undefined ? "unspecified" : constraint;
    throw new S3Error(
      "IllegalLocationConstraintException",
      {},
      `The ${named} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  return region;
}

function notImplemented(what: string): S3Error {
  return new S3Error(
    "NotImplemented",
    {},
    `A header you provided implies functionality that is not implemented: Sluice's S3 does not serve ${what}. docs/fidelity.md lists what it serves.`,
  );
}

function methodNotAllowed(method: string, resource: string): S3Error {
  return new S3Error(
    "MethodNotAllowed",
    { Method: method, ResourceType: resource },
    `The specified method is not allowed against this resource: ${method} on ${resource}.`,
  );
}
