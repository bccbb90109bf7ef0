/**
 * DeleteObjects (`POST /bucket?delete`), what `aws s3 rm --recursive` and emptying a bucket use:
 * up to 1,000 keys in a `<Delete>` body, each deleted idempotently, `<Quiet>` leaving the
 * successes out (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html).
 */
import { element, text } from "../wire/index.ts";
import { checkContentMd5, verifyFlexibleChecksum } from "./checksums.ts";
import { S3Error } from "./errors.ts";
import type { S3Store } from "./s3-store.ts";
import type { ChangeOrigin } from "./types.ts";
import { unescapeXml } from "./wire/xml-tree.ts";

const MAX_KEYS = 1000;

export function deleteObjects(
  store: S3Store,
  bucket: string,
  body: Buffer,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  origin?: ChangeOrigin,
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
  const objects = deleteRequestObjects(xml);
  const quiet = /<Quiet>\s*true\s*<\/Quiet>/.test(xml);
  let deleted = "";
  for (const object of objects) {
    try {
      const result = store.deleteObject(bucket, object.key, {
        ...(object.versionId === undefined ? {} : { versionId: object.versionId }),
        ...(origin === undefined ? {} : { origin }),
      });
      if (quiet) continue;
      // A delete marker made (no version asked) or removed (its id asked) is reported as S3 does.
      const marker = result.deleteMarker
        ? text("DeleteMarker", true) +
          (object.versionId === undefined ? text("DeleteMarkerVersionId", result.versionId) : "")
        : "";
      deleted += element("Deleted", text("Key", object.key) + text("VersionId", object.versionId) + marker);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      deleted += element(
        "Error",
        text("Key", object.key) +
          text("VersionId", object.versionId) +
          text("Code", error.code) +
          text("Message", error.message),
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`;
}

/**
 * The objects a DeleteObjects body names, read once for both the delete and the IAM check of each
 * key (`s3-actions.ts`), so the keys authorized are the keys deleted.
 */
export function deleteRequestObjects(xml: string): { key: string; versionId?: string }[] {
  if (!/<Delete[\s>]/.test(xml)) throw new S3Error("MalformedXML");
  const objects = [...xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => {
    const inner = m[1] ?? "";
    const key = /<Key>([^<]*)<\/Key>/.exec(inner)?.[1];
    const versionId = /<VersionId>([^<]*)<\/VersionId>/.exec(inner)?.[1];
    if (key === undefined) throw new S3Error("MalformedXML");
    return {
      key: unescapeXml(key),
      ...(versionId === undefined ? {} : { versionId: unescapeXml(versionId) }),
    };
  });
  if (objects.length === 0 || objects.length > MAX_KEYS) throw new S3Error("MalformedXML");
  return objects;
}
