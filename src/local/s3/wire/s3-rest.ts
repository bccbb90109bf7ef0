/**
 * S3 over REST-XML, the operations `sluice deploy` and `aws s3` use: ListBuckets, CreateBucket,
 * HeadBucket, GetBucketLocation, DeleteBucket, ListObjectsV2, PutObject, GetObject, HeadObject,
 * DeleteObject, DeleteObjects and multipart uploads (create, upload part, complete, abort).
 * Anything else answers NotImplemented (501) naming what was asked for. Recognising an S3
 * request (SigV4 service `s3`) is the host's job; `isS3Request` helps.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { S3Error } from "../errors.ts";
import { deleteObjects } from "../s3-delete-objects.ts";
import { handleMultipart } from "../s3-multipart.ts";
import { getObject, putObject } from "../s3-objects.ts";
import { type S3Context, send, sendError } from "./s3-response.ts";
import { s3Target } from "./s3-request.ts";
import type { S3Store } from "../s3-store.ts";
import { listBucketsXml, listObjectsV2Xml, locationXml, parseLocationConstraint } from "./s3-xml.ts";

export type { S3Context } from "./s3-response.ts";
export { bucketFromHost, isS3Request } from "./s3-request.ts";

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
  "bucket-region",
  "partNumber",
  "uploads",
  "uploadId",
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
      if (!PLAIN_PARAMETERS.has(name) && !name.startsWith("response-") && !name.startsWith("X-Amz-")) {
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
        send(res, 200, context, {}, deleteObjects(store, bucket, body, req.headers));
        return;
      }
      if (target.query.has("uploads")) throw notImplemented("ListMultipartUploads");
      bucketOperation(store, method, bucket, target.query, body, res, context);
      return;
    }
    const object = { bucket, key: target.key };
    if (handleMultipart(store, req, res, body, { ...object, query: target.query }, context)) return;
    if (target.query.has("partNumber")) throw notImplemented("GetObject by part number (partNumber)");
    if (method === "PUT") putObject(store, req, res, body, object, context);
    else if (method === "GET" || method === "HEAD") getObject(store, req, res, object, context, head);
    else if (method === "DELETE") {
      store.deleteObject(bucket, target.key);
      send(res, 204, context);
    } else throw methodNotAllowed(method, "an object");
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
      if (query.get("list-type") !== "2") throw notImplemented("ListObjects (version 1); use ListObjectsV2");
      listObjects(store, bucket, query, res, context);
      return;
    }
    default:
      throw methodNotAllowed(method, "a bucket");
  }
}

function listObjects(
  store: S3Store,
  bucket: string,
  query: URLSearchParams,
  res: ServerResponse,
  context: S3Context,
): void {
  const maxKeysText = query.get("max-keys");
  const maxKeys = maxKeysText === null ? undefined : Number(maxKeysText);
  if (maxKeys !== undefined && (!/^\d+$/.test(maxKeysText ?? "") || maxKeys > 2 ** 31 - 1)) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "max-keys", ArgumentValue: maxKeysText ?? "" },
      "Provided max-keys not an integer or within integer range",
    );
  }
  const encodingType = query.get("encoding-type") ?? undefined;
  if (encodingType !== undefined && encodingType !== "url") {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "encoding-type", ArgumentValue: encodingType },
      "Invalid Encoding Method specified in Request",
    );
  }
  const input = {
    prefix: query.get("prefix") ?? "",
    ...(query.get("delimiter") ? { delimiter: query.get("delimiter") as string } : {}),
    ...(maxKeys === undefined ? {} : { maxKeys }),
    ...(query.has("continuation-token")
      ? { continuationToken: query.get("continuation-token") as string }
      : {}),
    ...(query.has("start-after") ? { startAfter: query.get("start-after") as string } : {}),
  };
  const output = store.listObjectsV2(bucket, input);
  send(
    res,
    200,
    context,
    {},
    listObjectsV2Xml(output, { bucket, ...input, ...(encodingType ? { encodingType } : {}) }),
  );
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
