/**
 * PutObject (and CopyObject, a PUT with `x-amz-copy-source`), GetObject, HeadObject and
 * DeleteObject on the wire: REST-XML, headers carry the metadata, versions, conditions and ranges
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html, API_CopyObject.html,
 * API_GetObject.html, API_DeleteObject.html).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LIMITS } from "../../model/limits.ts";
import { text } from "../wire/index.ts";
import { decodeAwsChunked } from "./aws-chunked.ts";
import { checkContentMd5, verifyFlexibleChecksum } from "./checksums.ts";
import { checkReadConditions } from "./conditions.ts";
import { S3Error } from "./errors.ts";
import type { S3Store } from "./s3-store.ts";
import type { ChangeOrigin, ObjectHead, ObjectMeta, ReadConditions, WriteConditions } from "./types.ts";
import type { S3Context } from "./wire/s3-response.ts";
import { send } from "./wire/s3-response.ts";

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
/** System metadata S3 stores as sent and answers with. */
const STORED_HEADERS = [
  "cache-control",
  "content-disposition",
  "content-encoding",
  "content-language",
  "expires",
  "x-amz-website-redirect-location",
] as const;

export interface ObjectRequest {
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
}

export function putObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  target: ObjectRequest,
  context: S3Context,
): void {
  if (req.headers["x-amz-copy-source"] !== undefined) {
    copyObject(store, req, res, target, context);
    return;
  }
  const { body, checksum } = readUpload(req, raw);
  const written = store.putObject(
    target.bucket,
    target.key,
    body,
    { ...requestMeta(req), ...(checksum === undefined ? {} : { checksum }) },
    { origin: changeOrigin(req, context), conditions: writeConditions(req) },
  );
  const echo = checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value } : {};
  send(res, 200, context, {
    etag: written.etag,
    "x-amz-server-side-encryption": "AES256",
    ...versionHeader(written.versionId),
    ...echo,
  });
}

function copyObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  target: ObjectRequest,
  context: S3Context,
): void {
  const source = parseCopySource(header(req, "x-amz-copy-source") ?? "");
  const metadataDirective = directive(req, "x-amz-metadata-directive");
  const taggingDirective = directive(req, "x-amz-tagging-directive");
  const result = store.copyObject(source, target, {
    metadataDirective,
    taggingDirective,
    ...(metadataDirective === "REPLACE" ? { meta: requestMeta(req) } : {}),
    ...(taggingDirective === "REPLACE" ? { tags: parseTagging(header(req, "x-amz-tagging")) } : {}),
    sourceConditions: readConditions(req, "x-amz-copy-source-"),
    conditions: writeConditions(req),
    origin: changeOrigin(req, context),
  });
  const body = `${XML}<CopyObjectResult xmlns="${XMLNS}">${text("ETag", result.etag)}${text(
    "LastModified",
    new Date(result.lastModified).toISOString(),
  )}</CopyObjectResult>`;
  send(
    res,
    200,
    context,
    {
      "x-amz-server-side-encryption": "AES256",
      ...versionHeader(result.versionId),
      ...(result.sourceVersionId === undefined
        ? {}
        : { "x-amz-copy-source-version-id": result.sourceVersionId }),
    },
    body,
  );
}

/**
 * `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, with `?versionId=` to copy a
 * version. Throws InvalidArgument for a value that names no object.
 */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const question = value.indexOf("?");
  const path = (question === -1 ? value : value.slice(0, question)).replace(/^\//, "");
  const query = new URLSearchParams(question === -1 ? "" : value.slice(question + 1));
  const slash = path.indexOf("/");
  let decoded: { bucket: string; key: string } | undefined;
  try {
    if (slash > 0 && slash < path.length - 1) {
      decoded = {
        bucket: decodeURIComponent(path.slice(0, slash)),
        key: decodeURIComponent(path.slice(slash + 1)),
      };
    }
  } catch {
    decoded = undefined;
  }
  if (!decoded) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "x-amz-copy-source", ArgumentValue: value },
      "Invalid copy source object key",
    );
  }
  const versionId = query.get("versionId");
  return versionId === null ? decoded : { ...decoded, versionId };
}

/**
 * The body an upload carries, decoded from aws-chunked when sent so, with its integrity checked:
 * x-amz-content-sha256, Content-MD5 and a flexible checksum (header or trailer).
 */
export function readUpload(
  req: IncomingMessage,
  raw: Buffer,
): { body: Buffer; checksum: { algorithm: string; value: string } | undefined } {
  const headers = req.headers;
  const sha = header(req, "x-amz-content-sha256");
  const chunked =
    (header(req, "content-encoding") ?? "").split(",").some((e) => e.trim() === "aws-chunked") ||
    sha?.startsWith("STREAMING-") === true;
  const { body, trailers } = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: {} };
  const decodedLength = header(req, "x-amz-decoded-content-length");
  if (chunked && decodedLength !== undefined && Number(decodedLength) !== body.length) {
    throw new S3Error(
      "IncompleteBody",
      {},
      `You did not provide the number of bytes specified by the x-amz-decoded-content-length header (${decodedLength}); the chunks held ${body.length}.`,
    );
  }
  if (sha !== undefined && /^[0-9a-f]{64}$/i.test(sha)) {
    const actual = createHash("sha256").update(body).digest("hex");
    if (actual !== sha.toLowerCase()) {
      throw new S3Error("XAmzContentSHA256Mismatch", {
        ClientComputedContentSHA256: sha,
        S3ComputedContentSHA256: actual,
      });
    }
  }
  const md5 = header(req, "content-md5");
  if (md5 !== undefined) checkContentMd5(body, md5);
  const checksum = verifyFlexibleChecksum(body, { ...headers, ...trailers });
  return { body, checksum };
}

export function getObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  target: ObjectRequest,
  context: S3Context,
  head: boolean,
): void {
  const versionId = target.query.get("versionId") ?? undefined;
  const object = head
    ? store.headObject(target.bucket, target.key, versionId)
    : store.getObject(target.bucket, target.key, versionId);
  checkReadConditions(object, readConditions(req, ""));
  const headers = objectHeaders(object, header(req, "x-amz-checksum-mode") === "ENABLED");
  overrideHeaders(headers, target.query);
  const rangeHeader = header(req, "range");
  const range = parseRange(rangeHeader, object.size);
  if (range === "unsatisfiable") {
    throw new S3Error("InvalidRange", { RangeRequested: rangeHeader ?? "", ActualObjectSize: object.size });
  }
  const body = "body" in object ? (object.body as Buffer) : undefined;
  if (range === undefined) {
    send(res, 200, context, { ...headers, "content-length": object.size }, head ? undefined : body);
    return;
  }
  const { start, end } = range;
  // A part's bytes do not match the whole object's checksum.
  for (const name of Object.keys(headers)) if (name.startsWith("x-amz-checksum-")) delete headers[name];
  send(
    res,
    206,
    context,
    {
      ...headers,
      "content-length": end - start + 1,
      "content-range": `bytes ${start}-${end}/${object.size}`,
    },
    head ? undefined : body?.subarray(start, end + 1),
  );
}

/** DeleteObject: 204, with the delete marker or version it made or removed. */
export function deleteObject(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  target: ObjectRequest,
  context: S3Context,
): void {
  const versionId = target.query.get("versionId") ?? undefined;
  const result = store.deleteObject(target.bucket, target.key, {
    ...(versionId === undefined ? {} : { versionId }),
    origin: changeOrigin(req, context),
  });
  send(res, 204, context, {
    ...versionHeader(result.versionId),
    ...(result.deleteMarker ? { "x-amz-delete-marker": "true" } : {}),
  });
}

function objectHeaders(object: ObjectHead, withChecksum: boolean): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": new Date(object.lastModified).toUTCString(),
    "accept-ranges": "bytes",
    "x-amz-server-side-encryption": "AES256",
    ...object.headers,
  };
  if (object.versioned) headers["x-amz-version-id"] = object.versionId;
  const tagCount = Object.keys(object.tags).length;
  if (tagCount > 0) headers["x-amz-tagging-count"] = tagCount;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && object.checksum) {
    headers[`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`] = object.checksum.value;
    headers["x-amz-checksum-type"] = "FULL_OBJECT";
  }
  return headers;
}

/** `response-content-type` and its siblings replace the stored header in a GET's answer. */
function overrideHeaders(headers: Record<string, string | number>, query: URLSearchParams): void {
  for (const name of [
    "content-type",
    "content-language",
    "expires",
    "cache-control",
    "content-disposition",
    "content-encoding",
  ]) {
    const value = query.get(`response-${name}`);
    if (value !== null) headers[name] = value;
  }
}

/** A byte range S3 would serve; undefined for none or one S3 ignores (malformed), as S3 does. */
export function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return undefined;
  return { start, end };
}

/** What a PUT or CreateMultipartUpload says about the object beyond its bytes. */
export function requestMeta(req: IncomingMessage): ObjectMeta {
  const contentType = header(req, "content-type");
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = header(req, name);
    // aws-chunked is how the body travelled, not how it is stored.
    if (name === "content-encoding" && value !== undefined) {
      const kept = value
        .split(",")
        .map((e) => e.trim())
        .filter((e) => e !== "" && e !== "aws-chunked");
      if (kept.length > 0) headers[name] = kept.join(",");
      continue;
    }
    if (value !== undefined) headers[name] = value;
  }
  const tagging = header(req, "x-amz-tagging");
  return {
    ...(contentType === undefined ? {} : { contentType }),
    metadata: userMetadata(req),
    headers,
    ...(tagging === undefined ? {} : { tags: parseTagging(tagging) }),
  };
}

/** `x-amz-tagging`: URL query-encoded `key=value` pairs; at most 10 tags. */
export function parseTagging(value: string | undefined): Record<string, string> {
  const tags: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(value ?? "")) tags[k] = v;
  checkTags(tags);
  return tags;
}

export function checkTags(tags: Readonly<Record<string, string>>): void {
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.s3.objectTags.max) {
    throw new S3Error("BadRequest", {}, "Object tags cannot be greater than 10");
  }
  for (const [k, v] of entries) {
    if (k.length === 0 || k.length > 128)
      throw new S3Error("InvalidTag", {}, "The TagKey you have provided is invalid");
    if (v.length > 256) throw new S3Error("InvalidTag", {}, "The TagValue you have provided is invalid");
  }
}

/** Who made the change, for its S3 event. */
export function changeOrigin(req: IncomingMessage, context: S3Context): ChangeOrigin {
  const accessKey = /Credential=([^/,\s]+)\//.exec(header(req, "authorization") ?? "")?.[1];
  const presigned = new URL(req.url ?? "/", "http://localhost").searchParams
    .get("X-Amz-Credential")
    ?.split("/")[0];
  const principal = context.principalId ?? `AWS:${accessKey ?? presigned ?? "anonymous"}`;
  const trace = header(req, "x-amzn-trace-id");
  return {
    principalId: principal,
    sourceIp: context.sourceIp ?? stripMappedIpv4(req.socket?.remoteAddress ?? "127.0.0.1"),
    requestId: context.requestId,
    ...(trace === undefined ? {} : { traceHeader: trace }),
  };
}

export function writeConditions(req: IncomingMessage): WriteConditions {
  const ifMatch = header(req, "if-match");
  const ifNoneMatch = header(req, "if-none-match");
  return {
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
  };
}

function readConditions(req: IncomingMessage, prefix: string): ReadConditions {
  const get = (name: string) => header(req, `${prefix}${name}`);
  const ifMatch = get("if-match");
  const ifNoneMatch = get("if-none-match");
  const ifModifiedSince = get("if-modified-since");
  const ifUnmodifiedSince = get("if-unmodified-since");
  return {
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(ifNoneMatch === undefined ? {} : { ifNoneMatch }),
    ...(ifModifiedSince === undefined ? {} : { ifModifiedSince }),
    ...(ifUnmodifiedSince === undefined ? {} : { ifUnmodifiedSince }),
  };
}

function directive(req: IncomingMessage, name: string): "COPY" | "REPLACE" {
  const value = header(req, name);
  if (value === undefined || value === "COPY" || value === "REPLACE") return value ?? "COPY";
  throw new S3Error(
    "InvalidArgument",
    { ArgumentName: name, ArgumentValue: value },
    `Unknown ${name}: ${value}`,
  );
}

function versionHeader(versionId: string | undefined): Record<string, string> {
  return versionId === undefined ? {} : { "x-amz-version-id": versionId };
}

function stripMappedIpv4(address: string): string {
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** `x-amz-meta-*` headers by name: a null-prototype map, so `x-amz-meta-__proto__` is stored as sent. */
export function userMetadata(req: IncomingMessage): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith("x-amz-meta-") && value !== undefined) {
      metadata[name.slice("x-amz-meta-".length)] = Array.isArray(value) ? value.join(",") : value;
    }
  }
  return metadata;
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
