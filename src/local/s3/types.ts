/** A bucket as the S3 surface holds it. */
export interface BucketInfo {
  readonly name: string;
  readonly region: string;
  /** The owning account id. */
  readonly owner: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /**
   * What CloudFormation's AWS::S3::Bucket set (encryption, public access block, lifecycle rules,
   * tags), as its properties name them. `LifecycleConfiguration.Rules` drives `S3Store.expire`.
   */
  readonly configuration: Readonly<Record<string, unknown>>;
}

export interface ObjectMeta {
  /** @default "binary/octet-stream" when absent, as S3 stores an object sent without one */
  readonly contentType?: string;
  /** `x-amz-meta-*` values, names lower-cased without the prefix. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** A flexible checksum the client sent and S3 verified (`CRC32` and its base64 value). */
  readonly checksum?: { readonly algorithm: string; readonly value: string };
  /**
   * The system metadata S3 stores and answers with as sent: `cache-control`,
   * `content-disposition`, `content-encoding`, `content-language`, `expires`,
   * `x-amz-website-redirect-location`, by lower-cased header name.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** The object's tags (`x-amz-tagging`). @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A bucket's versioning state: never enabled, enabled, or suspended after being enabled. */
export type VersioningState = "Unversioned" | "Enabled" | "Suspended";

/** Where a change came from, for the S3 event it causes (object-change.ts). */
export interface ChangeOrigin {
  /** `AWS:<principal id>` of the caller. */
  readonly principalId: string;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly traceHeader?: string;
}

/** Conditions a write must meet (conditional writes: If-None-Match `*`, If-Match `<etag>`). */
export interface WriteConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
}

export interface ObjectSummary {
  readonly key: string;
  /** Quoted hex MD5 of the body, as S3 gives single-part uploads. */
  readonly etag: string;
  readonly size: number;
  readonly lastModified: number;
}

export interface ObjectHead extends ObjectSummary {
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly checksum?: { readonly algorithm: string; readonly value: string };
  /** System metadata stored as sent (ObjectMeta.headers). */
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** `null` for an object written while the bucket was unversioned or suspended. */
  readonly versionId: string;
  /** Whether the bucket has ever had versioning on (S3 then sends `x-amz-version-id`). */
  readonly versioned: boolean;
}

export interface StoredObject extends ObjectHead {
  readonly body: Buffer;
}

export interface ListObjectsV2Input {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** @default 1000 (also the most S3 returns) */
  readonly maxKeys?: number;
  readonly continuationToken?: string;
  readonly startAfter?: string;
  /** ListObjects (v1): `startAfter` is its Marker, which may be the last page's common prefix. */
  readonly markerMayBePrefix?: boolean;
}

export interface ListObjectsV2Output {
  readonly contents: readonly ObjectSummary[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken?: string;
  /** Contents plus common prefixes, as S3 counts them. */
  readonly keyCount: number;
  readonly maxKeys: number;
}

/** An object, or one version of it. */
export interface VersionTarget {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

export interface WriteOptions {
  readonly origin?: ChangeOrigin;
  readonly conditions?: WriteConditions;
  /** @default "ObjectCreated:Put" */
  readonly eventName?: string;
}

export interface ObjectWriteResult {
  readonly etag: string;
  /** Present once the bucket has had versioning on (`null` while suspended). */
  readonly versionId?: string;
}

export interface ReadConditions {
  readonly ifMatch?: string;
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
  readonly ifUnmodifiedSince?: string;
}

export interface CopyOptions {
  /** @default "COPY": the source's content type and metadata */
  readonly metadataDirective?: "COPY" | "REPLACE";
  /** The new metadata with REPLACE. */
  readonly meta?: ObjectMeta;
  /** @default "COPY" */
  readonly taggingDirective?: "COPY" | "REPLACE";
  readonly tags?: Readonly<Record<string, string>>;
  /** `x-amz-copy-source-if-*`. */
  readonly sourceConditions?: ReadConditions;
  readonly conditions?: WriteConditions;
  readonly origin?: ChangeOrigin;
}

export interface CopyResult extends ObjectWriteResult {
  readonly lastModified: number;
  readonly sourceVersionId?: string;
}

export interface DeleteOptions {
  readonly versionId?: string;
  readonly origin?: ChangeOrigin;
}

export interface DeleteResult {
  /** The delete marker's id, or the version removed. */
  readonly versionId?: string;
  /** True when a delete marker was created or removed. */
  readonly deleteMarker: boolean;
}

export interface ListVersionsInput {
  readonly prefix?: string;
  readonly delimiter?: string;
  /** @default 1000 */
  readonly maxKeys?: number;
  readonly keyMarker?: string;
  readonly versionIdMarker?: string;
}

export interface VersionSummary extends ObjectSummary {
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly deleteMarker: boolean;
}

export interface ListVersionsOutput {
  /** Versions and delete markers in S3's order: by key, newest first. */
  readonly versions: readonly VersionSummary[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker?: string;
  readonly nextVersionIdMarker?: string;
  readonly maxKeys: number;
}
