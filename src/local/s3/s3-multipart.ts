/**
 * Multipart uploads on the wire: CreateMultipartUpload (`POST ?uploads`), UploadPart
 * (`PUT ?partNumber&uploadId`), CompleteMultipartUpload (`POST ?uploadId`) and
 * AbortMultipartUpload (`DELETE ?uploadId`), what `aws s3 cp` uses above 8 MB and
 * `@aws-sdk/lib-storage` above 5 MB. ListParts and ListMultipartUploads are not served.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "../wire/index.ts";
import { S3Error } from "./errors.ts";
import { changeOrigin, header, readUpload, requestMeta, writeConditions } from "./s3-objects.ts";
import type { S3Store } from "./s3-store.ts";
import { type S3Context, send } from "./wire/s3-response.ts";

const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export interface ObjectTarget {
  readonly bucket: string;
  readonly key: string;
  readonly query: URLSearchParams;
}

/** Serves the request when it is a multipart operation; returns false otherwise. */
export function handleMultipart(
  store: S3Store,
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  target: ObjectTarget,
  context: S3Context,
): boolean {
  const { bucket, key, query } = target;
  const method = req.method ?? "GET";
  const uploadId = query.get("uploadId");
  if (method === "POST" && query.has("uploads")) {
    const id = store.createMultipartUpload(bucket, key, requestMeta(req));
    const algorithm = header(req, "x-amz-checksum-algorithm");
    const body = `${XML}<InitiateMultipartUploadResult xmlns="${XMLNS}">${text("Bucket", bucket)}${text("Key", key)}${text(
      "UploadId",
      id,
    )}</InitiateMultipartUploadResult>`;
    send(res, 200, context, algorithm ? { "x-amz-checksum-algorithm": algorithm } : {}, body);
    return true;
  }
  if (uploadId === null) return false;
  if (method === "PUT") {
    const partNumber = Number(query.get("partNumber"));
    const { body, checksum } = readUpload(req, raw);
    const { etag } = store.uploadPart(bucket, key, uploadId, partNumber, body);
    const echo = checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value } : {};
    send(res, 200, context, { etag, ...echo });
    return true;
  }
  if (method === "POST") {
    const { etag, versionId } = store.completeMultipartUpload(bucket, key, uploadId, parseParts(raw), {
      origin: changeOrigin(req, context),
      conditions: writeConditions(req),
    });
    const body = `${XML}<CompleteMultipartUploadResult xmlns="${XMLNS}">${text(
      "Location",
      `/${bucket}/${key}`,
    )}${text("Bucket", bucket)}${text("Key", key)}${text("ETag", etag)}</CompleteMultipartUploadResult>`;
    send(res, 200, context, versionId === undefined ? {} : { "x-amz-version-id": versionId }, body);
    return true;
  }
  if (method === "DELETE") {
    store.abortMultipartUpload(bucket, key, uploadId);
    send(res, 204, context);
    return true;
  }
  throw new S3Error(
    "NotImplemented",
    {},
    "A header you provided implies functionality that is not implemented: Sluice's S3 does not serve ListParts.",
  );
}

/** The `<Part>` list of a CompleteMultipartUpload body. */
function parseParts(raw: Buffer): { partNumber: number; etag: string }[] {
  const xml = raw.toString("utf8");
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) throw new S3Error("MalformedXML");
  const parts: { partNumber: number; etag: string }[] = [];
  for (const match of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const inner = match[1] ?? "";
    const partNumber = Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(inner)?.[1]);
    const etag = /<ETag>([^<]*)<\/ETag>/
      .exec(inner)?.[1]
      ?.replace(/&quot;/g, '"')
      .trim();
    if (!Number.isInteger(partNumber) || etag === undefined) throw new S3Error("MalformedXML");
    parts.push({ partNumber, etag });
  }
  return parts;
}
