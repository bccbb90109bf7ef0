/**
 * One lifecycle pass over a bucket: the pure rules of lifecycle.ts applied to its current objects,
 * noncurrent versions and incomplete multipart uploads. The store passes in how to expire
 * (a delete in an unversioned bucket, a delete marker in a versioned one) so every change goes
 * through its one write path and emits its event.
 */
import type { Db } from "../store/index.ts";
import { currentDue, lifecycleRules, noncurrentDue, uploadDue } from "./lifecycle.ts";
import { dropUpload } from "./multipart-store.ts";
import type { BucketInfo } from "./types.ts";

export interface LifecycleActions {
  expireCurrent(key: string): void;
  expireVersion(key: string, versionId: string): void;
}

/** Returns how many objects and versions were expired. */
export function applyLifecycle(db: Db, bucket: BucketInfo, now: number, actions: LifecycleActions): number {
  const rules = lifecycleRules(bucket.configuration);
  if (rules.length === 0) return 0;
  let expired = 0;
  const current = db
    .prepare("SELECT key, last_modified FROM s3_objects WHERE bucket = ? AND delete_marker = 0")
    .all(bucket.name) as { key: string; last_modified: number }[];
  for (const row of current) {
    if (!currentDue(rules, row.key, row.last_modified, now)) continue;
    actions.expireCurrent(row.key);
    expired++;
  }
  // Newest first within a key, so each version's place counts the noncurrent versions newer than it.
  const noncurrent = db
    .prepare(
      "SELECT key, version_id, noncurrent_since FROM s3_versions WHERE bucket = ? ORDER BY key, seq DESC",
    )
    .all(bucket.name) as { key: string; version_id: string; noncurrent_since: number }[];
  let newer = 0;
  for (const [i, row] of noncurrent.entries()) {
    newer = i > 0 && noncurrent[i - 1]?.key === row.key ? newer + 1 : 0;
    if (!noncurrentDue(rules, row.key, row.noncurrent_since, now, newer)) continue;
    actions.expireVersion(row.key, row.version_id);
    expired++;
  }
  const uploads = db
    .prepare("SELECT upload_id, key, created_at FROM s3_uploads WHERE bucket = ?")
    .all(bucket.name) as { upload_id: string; key: string; created_at: number }[];
  for (const upload of uploads) {
    if (uploadDue(rules, upload.key, upload.created_at, now)) {
      dropUpload(db, { bucket: bucket.name, key: upload.key, uploadId: upload.upload_id });
    }
  }
  return expired;
}
