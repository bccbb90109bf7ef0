/**
 * ListObjectVersions over `s3_objects` (current versions, delete markers included) and
 * `s3_versions` (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html):
 * keys in UTF-8 binary order, each key's versions newest first; KeyMarker alone resumes after
 * every version of that key, with VersionIdMarker after that version; keys sharing the part up to
 * the first delimiter after the prefix roll up into one CommonPrefix. Versions, delete markers and
 * common prefixes together count against MaxKeys.
 */
import { LIMITS } from "../../model/limits.ts";
import type { Db } from "../store/index.ts";
import { S3Error } from "./errors.ts";
import type { ListVersionsInput, ListVersionsOutput, VersionSummary } from "./types.ts";

const MAX_KEYS = LIMITS.s3.listMaxKeys.max;

interface Row {
  key: string;
  version_id: string;
  delete_marker: number;
  seq: number;
  etag: string;
  size: number;
  last_modified: number;
  latest: number;
}

export function listObjectVersions(db: Db, bucket: string, input: ListVersionsInput): ListVersionsOutput {
  const maxKeys = Math.min(input.maxKeys ?? MAX_KEYS, MAX_KEYS);
  const prefix = input.prefix ?? "";
  const delimiter = input.delimiter || undefined;
  const keyMarker = input.keyMarker || undefined;
  const markerSeq =
    keyMarker !== undefined && input.versionIdMarker
      ? seqOf(db, bucket, keyMarker, input.versionIdMarker)
      : undefined;
  const from = keyMarker !== undefined && byteOrder(keyMarker, prefix) > 0 ? keyMarker : prefix;
  const rows = db
    .prepare(
      `SELECT key, version_id, delete_marker, seq, etag, size, last_modified, 1 AS latest FROM s3_objects WHERE bucket = ? AND key >= ?
       UNION ALL
       SELECT key, version_id, delete_marker, seq, etag, size, last_modified, 0 AS latest FROM s3_versions WHERE bucket = ? AND key >= ?
       ORDER BY key, seq DESC`,
    )
    .iterate(bucket, from, bucket, from) as IterableIterator<Row>;
  const versions: VersionSummary[] = [];
  const commonPrefixes: string[] = [];
  let last: { key: string; versionId?: string } | undefined;
  let truncated = false;
  for (const row of rows) {
    if (!row.key.startsWith(prefix)) break;
    if (keyMarker !== undefined) {
      if (byteOrder(row.key, keyMarker) < 0) continue;
      if (row.key === keyMarker && (markerSeq === undefined || row.seq >= markerSeq)) continue;
      // A page that ended on a common prefix resumes after every key under it.
      if (delimiter !== undefined && keyMarker.endsWith(delimiter) && row.key.startsWith(keyMarker)) continue;
    }
    const grouped = delimiter === undefined ? undefined : commonPrefix(row.key, prefix, delimiter);
    if (grouped !== undefined && grouped === commonPrefixes.at(-1)) continue;
    if (versions.length + commonPrefixes.length >= maxKeys) {
      truncated = maxKeys > 0;
      break;
    }
    if (grouped !== undefined) {
      commonPrefixes.push(grouped);
      last = { key: grouped };
      continue;
    }
    versions.push({
      key: row.key,
      versionId: row.version_id,
      isLatest: row.latest === 1,
      deleteMarker: row.delete_marker === 1,
      etag: row.etag,
      size: row.size,
      lastModified: row.last_modified,
    });
    last = { key: row.key, versionId: row.version_id };
  }
  return {
    versions,
    commonPrefixes,
    isTruncated: truncated,
    ...(truncated && last ? { nextKeyMarker: last.key } : {}),
    ...(truncated && last?.versionId !== undefined ? { nextVersionIdMarker: last.versionId } : {}),
    maxKeys,
  };
}

function seqOf(db: Db, bucket: string, key: string, versionId: string): number {
  const row = (db
    .prepare("SELECT seq FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?")
    .get(bucket, key, versionId) ??
    db
      .prepare("SELECT seq FROM s3_versions WHERE bucket = ? AND key = ? AND version_id = ?")
      .get(bucket, key, versionId)) as { seq: number } | undefined;
  if (!row) {
    throw new S3Error(
      "InvalidArgument",
      { ArgumentName: "version-id-marker", ArgumentValue: versionId },
      "Invalid version id specified",
    );
  }
  return row.seq;
}

/** Keys compare as S3 and SQLite order them: by their UTF-8 bytes, not JavaScript's UTF-16 units. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function commonPrefix(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}
