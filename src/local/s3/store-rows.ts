/**
 * Rows of the S3 tables as the store hands them out, and the checks S3 makes on a key, its
 * metadata and a version id.
 */
import { LIMITS } from "../../model/limits.ts";
import type { Db } from "../store/index.ts";
import { noSuchKey, S3Error, withHeaders } from "./errors.ts";
import { currentVersion, findVersion, type VersionRow } from "./object-versions.ts";
import type { BucketInfo, ObjectHead, VersioningState, VersionTarget } from "./types.ts";

export interface BucketRow {
  name: string;
  region: string;
  owner: string;
  created_at: number;
  configuration: string;
}

/** The version ids this store issues (32 URL-safe characters) and `null`. */
const VERSION_ID = /^(?:null|[A-Za-z0-9_-]{32})$/;

/**
 * A version by id, or the current one. Throws NoSuchKey (404, with `x-amz-delete-marker` when the
 * current version is a delete marker), NoSuchVersion, InvalidArgument for an id this store never
 * issues, and MethodNotAllowed (405) for a delete marker named by id, as S3 does.
 */
export function readVersion(db: Db, target: VersionTarget, body: boolean): VersionRow {
  const { bucket, key, versionId } = target;
  if (versionId === undefined) {
    const row = currentVersion(db, bucket, key, body);
    if (!row) throw noSuchKey(key);
    if (row.delete_marker === 1) {
      throw withHeaders(noSuchKey(key), {
        "x-amz-delete-marker": "true",
        "x-amz-version-id": row.version_id,
      });
    }
    return row;
  }
  const found = findVersion(db, bucket, key, versionId, body);
  if (!found) {
    if (!VERSION_ID.test(versionId)) throw invalidVersionId(versionId);
    throw new S3Error("NoSuchVersion", { Key: key, VersionId: versionId });
  }
  if (found.row.delete_marker === 1) {
    throw withHeaders(new S3Error("MethodNotAllowed", { Method: "GET", ResourceType: "DeleteMarker" }), {
      "x-amz-delete-marker": "true",
      "x-amz-version-id": found.row.version_id,
      "last-modified": new Date(found.row.last_modified).toUTCString(),
      allow: "DELETE",
    });
  }
  return found.row;
}

export function isVersionId(versionId: string): boolean {
  return VERSION_ID.test(versionId);
}

export function toBucket(row: BucketRow): BucketInfo {
  return {
    name: row.name,
    region: row.region,
    owner: row.owner,
    createdAt: row.created_at,
    configuration: JSON.parse(row.configuration) as Record<string, unknown>,
  };
}

export function toHead(row: VersionRow, versioned: boolean): ObjectHead {
  return {
    key: row.key,
    etag: row.etag,
    size: row.size,
    lastModified: row.last_modified,
    contentType: row.content_type ?? "binary/octet-stream",
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    headers: JSON.parse(row.headers) as Record<string, string>,
    tags: JSON.parse(row.tags) as Record<string, string>,
    versionId: row.version_id,
    versioned,
    ...(row.checksum_algorithm && row.checksum
      ? { checksum: { algorithm: row.checksum_algorithm, value: row.checksum } }
      : {}),
  };
}

export function versioningState(row: BucketRow): VersioningState {
  const configuration = JSON.parse(row.configuration) as { VersioningConfiguration?: { Status?: unknown } };
  const status = configuration.VersioningConfiguration?.Status;
  return status === "Enabled" || status === "Suspended" ? status : "Unversioned";
}

/**
 * `configuration` as it may replace the bucket's: once versioned, a bucket is never unversioned
 * again (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html), so a configuration
 * without a versioning status (CloudFormation leaving the property out, a definition dropping
 * `versioning`) keeps the one the bucket has. Writing a versioned key as unversioned would
 * overwrite its current version.
 */
export function keepingVersioning(
  row: BucketRow,
  configuration: Record<string, unknown>,
): Record<string, unknown> {
  const status = (configuration.VersioningConfiguration as { Status?: unknown } | undefined)?.Status;
  if (status === "Enabled" || status === "Suspended") return configuration;
  const state = versioningState(row);
  return state === "Unversioned"
    ? configuration
    : { ...configuration, VersioningConfiguration: { Status: state } };
}

export function invalidVersionId(versionId: string): S3Error {
  return new S3Error(
    "InvalidArgument",
    { ArgumentName: "versionId", ArgumentValue: versionId },
    "Invalid version id specified",
  );
}

export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes === 0) throw new S3Error("InvalidArgument", {}, "An object key must not be empty.");
  if (bytes > LIMITS.s3.objectKey.max) {
    throw new S3Error(
      "KeyTooLongError",
      { Size: bytes, MaxSizeAllowed: LIMITS.s3.objectKey.max },
      `Your key is too long: ${bytes} bytes; S3 allows ${LIMITS.s3.objectKey.max} bytes of UTF-8.`,
    );
  }
}

export function checkMetadata(metadata: Readonly<Record<string, string>>): void {
  // S3 counts the UTF-8 bytes of each user-defined name and value.
  let size = 0;
  for (const [name, value] of Object.entries(metadata))
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  if (size > LIMITS.s3.userMetadata.max) {
    throw new S3Error(
      "MetadataTooLarge",
      { Size: size, MaxSizeAllowed: LIMITS.s3.userMetadata.max },
      `Your metadata headers exceed the maximum allowed metadata size: ${size} bytes of x-amz-meta-* names and values; S3 allows ${LIMITS.s3.userMetadata.max}.`,
    );
  }
}
