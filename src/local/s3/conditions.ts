/**
 * Conditional requests as S3 evaluates them.
 * Reads (GetObject, HeadObject; https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html):
 * If-Match that fails, or If-Unmodified-Since that fails without an If-Match, is 412
 * PreconditionFailed; If-None-Match that matches, or If-Modified-Since that holds without an
 * If-None-Match, is 304 Not Modified (RFC 7232's order). For CopyObject's
 * `x-amz-copy-source-if-*` every failure is 412.
 * Writes (PutObject, CompleteMultipartUpload;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html): If-None-Match
 * `*` fails (412) when the key has an object; If-Match fails (412) when its ETag differs, and
 * answers 404 NoSuchKey when there is no object.
 */
import { noSuchKey, S3Error, withHeaders } from "./errors.ts";
import type { VersionRow } from "./object-versions.ts";
import type { ReadConditions, WriteConditions } from "./types.ts";

export function checkWriteConditions(
  current: VersionRow | undefined,
  key: string,
  conditions: WriteConditions | undefined,
): void {
  if (!conditions) return;
  const exists = current !== undefined && current.delete_marker === 0;
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.trim() !== "*") {
      throw new S3Error(
        "NotImplemented",
        { Header: "If-None-Match" },
        "A header you provided implies functionality that is not implemented: a conditional write takes If-None-Match only as *.",
      );
    }
    if (exists) throw failed("If-None-Match");
  }
  if (conditions.ifMatch !== undefined) {
    if (!exists) throw noSuchKey(key);
    if (!etagListMatches(conditions.ifMatch, current.etag)) throw failed("If-Match");
  }
}

/** `prefix` is "" for GET/HEAD and "x-amz-copy-source-" for a copy's source. */
export function checkReadConditions(
  row: { readonly etag: string; readonly lastModified: number },
  conditions: ReadConditions,
  prefix = "",
): void {
  const copy = prefix !== "";
  // HTTP dates have whole seconds.
  const lastModified = Math.floor(row.lastModified / 1000) * 1000;
  const name = (header: string) => (copy ? `${prefix}${header.toLowerCase()}` : header);
  if (conditions.ifMatch !== undefined) {
    if (!etagListMatches(conditions.ifMatch, row.etag)) throw failed(name("If-Match"));
  } else if (conditions.ifUnmodifiedSince !== undefined) {
    const since = Date.parse(conditions.ifUnmodifiedSince);
    if (!Number.isNaN(since) && lastModified > since) throw failed(name("If-Unmodified-Since"));
  }
  const notModified = () =>
    copy
      ? failed(name(conditions.ifNoneMatch !== undefined ? "If-None-Match" : "If-Modified-Since"))
      : withHeaders(new S3Error("NotModified"), {
          etag: row.etag,
          "last-modified": new Date(row.lastModified).toUTCString(),
        });
  if (conditions.ifNoneMatch !== undefined) {
    if (etagListMatches(conditions.ifNoneMatch, row.etag)) throw notModified();
  } else if (conditions.ifModifiedSince !== undefined) {
    const since = Date.parse(conditions.ifModifiedSince);
    if (!Number.isNaN(since) && lastModified <= since) throw notModified();
  }
}

/** A list of entity tags (quoted or not, weak or not) or `*`, against the object's ETag. */
function etagListMatches(list: string, etag: string): boolean {
  const bare = unquote(etag);
  return list.split(",").some((item) => {
    const value = item.trim();
    return value === "*" || unquote(value.replace(/^W\//, "")) === bare;
  });
}

function unquote(value: string): string {
  return value.replace(/^"|"$/g, "");
}

function failed(condition: string): S3Error {
  return new S3Error("PreconditionFailed", { Condition: condition });
}
