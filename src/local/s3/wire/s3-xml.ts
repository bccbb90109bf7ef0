/** S3's REST-XML bodies: responses, errors, and the one request body CreateBucket may carry. */
import { element, escapeXml, text } from "../../wire/index.ts";
import { S3Error } from "../errors.ts";
import type { BucketInfo, ListObjectsV2Output } from "../types.ts";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function errorXml(
  code: string,
  message: string,
  details: Record<string, unknown>,
  requestId: string,
): string {
  const extra = Object.entries(details)
    .map(([name, value]) => text(name, String(value)))
    .join("");
  return `${DECLARATION}<Error>${text("Code", code)}${text("Message", message)}${extra}${text("RequestId", requestId)}${text(
    "HostId",
    requestId,
  )}</Error>`;
}

export interface ListRequestEcho {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter?: string;
  readonly startAfter?: string;
  readonly continuationToken?: string;
  /** `url` when the request asked for encoding-type=url (the AWS CLI does). */
  readonly encodingType?: string;
}

export function listObjectsV2Xml(output: ListObjectsV2Output, echo: ListRequestEcho): string {
  const enc = (value: string) => (echo.encodingType === "url" ? encodeKey(value) : value);
  const { contents, prefixes } = listedXml(output, enc);
  return `${DECLARATION}<ListBucketResult xmlns="${XMLNS}">${text("Name", echo.bucket)}${text("Prefix", enc(echo.prefix))}${
    echo.delimiter ? text("Delimiter", enc(echo.delimiter)) : ""
  }${text("MaxKeys", output.maxKeys)}${text("KeyCount", output.keyCount)}${text("IsTruncated", output.isTruncated)}${
    echo.encodingType ? text("EncodingType", echo.encodingType) : ""
  }${text("ContinuationToken", echo.continuationToken)}${text("NextContinuationToken", output.nextContinuationToken)}${
    echo.startAfter !== undefined ? text("StartAfter", enc(echo.startAfter)) : ""
  }${contents}${prefixes}</ListBucketResult>`;
}

/** The keys and common prefixes of a listing, the part ListObjects and ListObjectsV2 share. */
function listedXml(
  output: ListObjectsV2Output,
  enc: (value: string) => string,
): { contents: string; prefixes: string } {
  const contents = output.contents
    .map((o) =>
      element(
        "Contents",
        text("Key", enc(o.key)) +
          text("LastModified", new Date(o.lastModified).toISOString()) +
          text("ETag", o.etag) +
          text("Size", o.size) +
          text("StorageClass", "STANDARD"),
      ),
    )
    .join("");
  const prefixes = output.commonPrefixes
    .map((p) => element("CommonPrefixes", text("Prefix", enc(p))))
    .join("");
  return { contents, prefixes };
}

export interface ListV1Echo {
  readonly bucket: string;
  readonly prefix: string;
  readonly marker: string;
  readonly delimiter?: string;
  readonly nextMarker?: string;
  readonly encodingType?: string;
}

export function listObjectsV1Xml(output: ListObjectsV2Output, echo: ListV1Echo): string {
  const enc = (value: string) => (echo.encodingType === "url" ? encodeKey(value) : value);
  const { contents, prefixes } = listedXml(output, enc);
  return `${DECLARATION}<ListBucketResult xmlns="${XMLNS}">${text("Name", echo.bucket)}${text("Prefix", enc(echo.prefix))}${text(
    "Marker",
    enc(echo.marker),
  )}${echo.nextMarker !== undefined ? text("NextMarker", enc(echo.nextMarker)) : ""}${text("MaxKeys", output.maxKeys)}${
    echo.delimiter ? text("Delimiter", enc(echo.delimiter)) : ""
  }${text("IsTruncated", output.isTruncated)}${
    echo.encodingType ? text("EncodingType", echo.encodingType) : ""
  }${contents}${prefixes}</ListBucketResult>`;
}

export function listBucketsXml(buckets: readonly BucketInfo[], owner: string): string {
  const items = buckets
    .map((b) =>
      element(
        "Bucket",
        text("Name", b.name) +
          text("CreationDate", new Date(b.createdAt).toISOString()) +
          text("BucketRegion", b.region),
      ),
    )
    .join("");
  return `${DECLARATION}<ListAllMyBucketsResult xmlns="${XMLNS}">${element(
    "Owner",
    text("ID", owner),
  )}${element("Buckets", items)}</ListAllMyBucketsResult>`;
}

export function locationXml(region: string): string {
  // S3 answers GetBucketLocation with an empty constraint for us-east-1.
  const inner = region === "us-east-1" ? "" : escapeXml(region);
  return `${DECLARATION}<LocationConstraint xmlns="${XMLNS}">${inner}</LocationConstraint>`;
}

/**
 * The LocationConstraint of a CreateBucketConfiguration body, or undefined for an empty body.
 * Throws MalformedXML for a body that is not one.
 */
export function parseLocationConstraint(body: Buffer): string | undefined {
  const xml = body.toString("utf8").trim();
  if (xml === "") return undefined;
  if (!/<CreateBucketConfiguration[\s>]/.test(xml) || !/<\/CreateBucketConfiguration>\s*$/.test(xml)) {
    throw new S3Error("MalformedXML");
  }
  const match = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(xml);
  return match?.[1]?.trim() || undefined;
}

/** encoding-type=url: keys percent-encoded so any byte survives XML 1.0. */
function encodeKey(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, "/");
}
