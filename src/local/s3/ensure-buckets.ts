/**
 * The definition's buckets in a local S3: `sluice dev` creates each one missing (by its physical
 * name) and stores its settings in AWS::S3::Bucket's property names (`bucketProperties`), the
 * one shape the local S3 reads, at every start and every reload. A bucket the definition no
 * longer has keeps its objects (data is never dropped because a line left the config) but loses
 * its settings; the caller is told, so it can say so.
 */
import type { AppSpec } from "../../model/app-spec.ts";
import { bucketProperties } from "../../model/bucket-configuration.ts";
import { functionArn, queueArn } from "../../model/naming.ts";
import type { S3Store } from "./s3-store.ts";

/** A bucket an earlier definition made that this one no longer has: kept, with its objects. */
export interface KeptBucket {
  readonly bucketName: string;
  readonly objects: number;
}

export function ensureBuckets(store: S3Store, spec: AppSpec): KeptBucket[] {
  const defined = new Set<string>();
  for (const bucket of Object.values(spec.buckets ?? {})) {
    defined.add(bucket.bucketName);
    if (!store.bucket(bucket.bucketName)) store.createBucket(bucket.bucketName, spec.region, spec.accountId);
    // Literal ARNs: the local notifications read them as S3 reads a deployed bucket's.
    const properties = bucketProperties(bucket, {
      function: (name) => functionArn(spec, name),
      queue: (name) => queueArn(spec, name),
    });
    store.setBucketConfiguration(bucket.bucketName, properties);
  }
  const kept: KeptBucket[] = [];
  for (const info of store.buckets()) {
    // Only buckets a definition made carry a BucketName property; one a script created has none.
    if (defined.has(info.name) || info.configuration.BucketName !== info.name) continue;
    // Its settings went with the definition: no notifications to functions that may be gone,
    // no website; the name stays, so every later start still reports it.
    if (Object.keys(info.configuration).length > 1)
      store.setBucketConfiguration(info.name, { BucketName: info.name });
    kept.push({ bucketName: info.name, objects: countObjects(store, info.name) });
  }
  return kept;
}

/** Every object of the bucket, counted a page (1,000 keys) at a time through ListObjectsV2. */
export function countObjects(store: S3Store, bucket: string): number {
  let count = 0;
  let continuationToken: string | undefined;
  do {
    const page = store.listObjectsV2(bucket, continuationToken === undefined ? {} : { continuationToken });
    count += page.contents.length;
    continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
  } while (continuationToken !== undefined);
  return count;
}
