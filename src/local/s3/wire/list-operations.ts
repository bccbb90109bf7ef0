/**
 * The three listings on the wire: ListObjectsV2 (continuation tokens), ListObjects version 1
 * (markers) and ListObjectVersions (key and version id markers), their query parameters checked
 * as S3 checks them.
 */
import type { ServerResponse } from "node:http";
import { S3Error } from "../errors.ts";
import type { S3Store } from "../s3-store.ts";
import { listVersionsXml } from "./list-versions-xml.ts";
import { type S3Context, send } from "./s3-response.ts";
import { listObjectsV1Xml, listObjectsV2Xml } from "./s3-xml.ts";

export function listVersions(
  store: S3Store,
  bucket: string,
  query: URLSearchParams,
  res: ServerResponse,
  context: S3Context,
): void {
  const maxKeys = maxKeysOf(query);
  const input = {
    prefix: query.get("prefix") ?? "",
    ...(query.get("delimiter") ? { delimiter: query.get("delimiter") as string } : {}),
    ...(maxKeys === undefined ? {} : { maxKeys }),
    ...(query.get("key-marker") ? { keyMarker: query.get("key-marker") as string } : {}),
    ...(query.get("version-id-marker") ? { versionIdMarker: query.get("version-id-marker") as string } : {}),
  };
  const encodingType = encodingTypeOf(query);
  const output = store.listObjectVersions(bucket, input);
  send(
    res,
    200,
    context,
    {},
    listVersionsXml(output, {
      bucket,
      ...input,
      owner: context.accountId,
      ...(encodingType ? { encodingType } : {}),
    }),
  );
}

/**
 * ListObjects (version 1): Marker instead of a continuation token; NextMarker only when a
 * delimiter was given, as S3 answers (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html).
 */
export function listObjectsV1(
  store: S3Store,
  bucket: string,
  query: URLSearchParams,
  res: ServerResponse,
  context: S3Context,
): void {
  const maxKeys = maxKeysOf(query);
  const marker = query.get("marker") ?? "";
  const delimiter = query.get("delimiter") || undefined;
  const encodingType = encodingTypeOf(query);
  const output = store.listObjectsV2(bucket, {
    prefix: query.get("prefix") ?? "",
    ...(delimiter ? { delimiter } : {}),
    ...(maxKeys === undefined ? {} : { maxKeys }),
    ...(marker ? { startAfter: marker, markerMayBePrefix: true } : {}),
  });
  // The page's last entry in S3's (UTF-8 byte) order: its last key or its last common prefix.
  const lastKey = output.contents.at(-1)?.key;
  const lastPrefix = output.commonPrefixes.at(-1);
  const last =
    lastKey === undefined ||
    (lastPrefix !== undefined && Buffer.compare(Buffer.from(lastPrefix), Buffer.from(lastKey)) > 0)
      ? lastPrefix
      : lastKey;
  send(
    res,
    200,
    context,
    {},
    listObjectsV1Xml(output, {
      bucket,
      prefix: query.get("prefix") ?? "",
      marker,
      ...(delimiter ? { delimiter } : {}),
      ...(output.isTruncated && delimiter && last !== undefined ? { nextMarker: last } : {}),
      ...(encodingType ? { encodingType } : {}),
    }),
  );
}

export function listObjects(
  store: S3Store,
  bucket: string,
  query: URLSearchParams,
  res: ServerResponse,
  context: S3Context,
): void {
  const maxKeys = maxKeysOf(query);
  const encodingType = encodingTypeOf(query);
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

/** `max-keys`, checked as S3 checks it in every listing: digits only, within a 32-bit integer. */
function maxKeysOf(query: URLSearchParams): number | undefined {
  const text = query.get("max-keys");
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 2 ** 31 - 1) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "max-keys", ArgumentValue: text },
      "Provided max-keys not an integer or within integer range",
    );
  }
  return value;
}

/** `encoding-type`: only `url` is a thing S3 knows. */
function encodingTypeOf(query: URLSearchParams): string | undefined {
  const encodingType = query.get("encoding-type") ?? undefined;
  if (encodingType !== undefined && encodingType !== "url") {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "encoding-type", ArgumentValue: encodingType },
      "Invalid Encoding Method specified in Request",
    );
  }
  return encodingType;
}
