/**
 * DeleteObjects (`POST /bucket?delete`), what `aws s3 rm --recursive` and emptying a bucket use:
 * up to 1,000 keys in a `<Delete>` body, each deleted idempotently, `<Quiet>` leaving the
 * successes out (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html).
 */
import { element, text } from "../wire/index.ts";
import { checkContentMd5, verifyFlexibleChecksum } from "./checksums.ts";
import { S3Error } from "./errors.ts";
import type { S3Store } from "./s3-store.ts";

const MAX_KEYS = 1000;

export function deleteObjects(
  store: S3Store,
  bucket: string,
  body: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string {
  const md5 = headers["content-md5"];
  if (typeof md5 === "string") checkContentMd5(body, md5);
  else if (verifyFlexibleChecksum(body, headers) === undefined) {
    throw new S3Error(
      "InvalidRequest",
      {},
      "Missing required header for this request: Content-MD5 or x-amz-checksum-*. DeleteObjects needs one of them.",
    );
  }
  const xml = body.toString("utf8");
  if (!/<Delete[\s>]/.test(xml)) throw new S3Error("MalformedXML");
  const keys = [...xml.matchAll(/<Object>\s*<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1] ?? ""));
  if (keys.length === 0 || keys.length > MAX_KEYS) throw new S3Error("MalformedXML");
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/.test(xml);
  let deleted = "";
  for (const key of keys) {
    store.deleteObject(bucket, key);
    if (!quiet) deleted += element("Deleted", text("Key", key));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`;
}

function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[entity] ?? "";
  });
}
