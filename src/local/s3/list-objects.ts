/**
 * ListObjectsV2 over the `s3_objects` table
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): keys after
 * StartAfter or the continuation token, in UTF-8 binary order, those sharing the part up to the
 * first delimiter after the prefix rolled up into one CommonPrefix. Contents and common prefixes
 * together count against MaxKeys.
 */
import { LIMITS } from "../../model/limits.ts";
import type { Db } from "../store/index.ts";
import { S3Error } from "./errors.ts";
import type { ListObjectsV2Input, ListObjectsV2Output, ObjectSummary } from "./types.ts";

const MAX_KEYS = LIMITS.s3.listMaxKeys.max;

interface Row {
  key: string;
  etag: string;
  size: number;
  last_modified: number;
}

export function listObjectsV2(db: Db, bucket: string, input: ListObjectsV2Input): ListObjectsV2Output {
  const maxKeys = Math.min(input.maxKeys ?? MAX_KEYS, MAX_KEYS);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "max-keys" },
      "Provided max-keys not an integer or within integer range",
    );
  }
  const prefix = input.prefix ?? "";
  const delimiter = input.delimiter || undefined;
  const resume: Position | undefined =
    input.continuationToken !== undefined
      ? decodeToken(input.continuationToken)
      : input.startAfter
        ? {
            after: input.startAfter,
            // ListObjects (v1) resumes from a NextMarker that may be a common prefix.
            rolledUp:
              input.markerMayBePrefix === true &&
              delimiter !== undefined &&
              input.startAfter.endsWith(delimiter),
          }
        : undefined;
  const contents: ObjectSummary[] = [];
  const commonPrefixes: string[] = [];
  let last: Position | undefined;
  let truncated = false;
  // Rows come in memcmp order of their UTF-8 bytes (SQLite's BINARY collation), S3's order.
  const rows = db
    .prepare(
      "SELECT key, etag, size, last_modified FROM s3_objects WHERE bucket = ? AND key >= ? AND (? IS NULL OR key > ?) AND delete_marker = 0 ORDER BY key",
    )
    .iterate(bucket, prefix, resume?.after ?? null, resume?.after ?? null) as IterableIterator<Row>;
  for (const row of rows) {
    if (!row.key.startsWith(prefix)) break;
    // A page that ended on a common prefix resumes after every key under it.
    if (resume?.rolledUp && row.key.startsWith(resume.after)) continue;
    const grouped = delimiter === undefined ? undefined : commonPrefix(row.key, prefix, delimiter);
    if (grouped !== undefined && grouped === commonPrefixes.at(-1)) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      truncated = maxKeys > 0;
      break;
    }
    if (grouped !== undefined) {
      commonPrefixes.push(grouped);
      last = { after: grouped, rolledUp: true };
    } else {
      contents.push({ key: row.key, etag: row.etag, size: row.size, lastModified: row.last_modified });
      last = { after: row.key, rolledUp: false };
    }
  }
  return {
    contents,
    commonPrefixes,
    isTruncated: truncated,
    ...(truncated && last !== undefined ? { nextContinuationToken: encodeToken(last) } : {}),
    keyCount: contents.length + commonPrefixes.length,
    maxKeys,
  };
}

/** Where a page ended: a key, or a common prefix whose keys were all rolled up. */
interface Position {
  readonly after: string;
  readonly rolledUp: boolean;
}

/** The CommonPrefix `key` rolls up into: the prefix through the first delimiter after it. */
function commonPrefix(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

function encodeToken(position: Position): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64");
}

function decodeToken(token: string): Position {
  try {
    const value = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as Partial<Position>;
    if (typeof value.after === "string") return { after: value.after, rolledUp: value.rolledUp === true };
  } catch {
    // falls through to the error S3 gives for a token it did not issue
  }
  throw new S3Error(
    "InvalidArgument",
    { ArgumentName: "continuation-token", ArgumentValue: token },
    "The continuation token provided is incorrect",
  );
}
