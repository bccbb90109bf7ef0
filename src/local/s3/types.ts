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
