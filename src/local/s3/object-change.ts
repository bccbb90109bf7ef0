/**
 * The contract between the S3 engine and its notifications: every change an S3 event may be about
 * (an object created, removed, expired, tagged) is handed to the sink synchronously, inside the
 * SQLite transaction of the write itself, so an event is durable once the write answers
 * (a kill -9 after PutObject never loses it). The sink decides which notifications it matches;
 * the engine knows nothing of functions, queues or buses.
 */
export interface ObjectChange {
  readonly bucket: string;
  /**
   * S3's event name without `s3:`, e.g. `ObjectCreated:Put`, `ObjectCreated:CompleteMultipartUpload`,
   * `ObjectRemoved:Delete`, `ObjectRemoved:DeleteMarkerCreated`, `LifecycleExpiration:Delete`.
   * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
   */
  readonly eventName: string;
  /** The object key as stored (not URL-encoded; the event builder encodes it as S3 does). */
  readonly key: string;
  /** Created events only. */
  readonly size?: number;
  /** Created events only: the ETag without quotes. */
  readonly eTag?: string;
  /** In a versioned bucket: the version created or the delete marker's. */
  readonly versionId?: string;
  /** S3's sequencer: hex, increasing for each key, so consumers can order events of one key. */
  readonly sequencer: string;
  /** When the change happened, on the clock (ms since the epoch). */
  readonly eventTime: number;
  /** Who made the change: the caller's principal id (`AWS:<id>`), or `AmazonS3` for lifecycle (whose events name `s3.amazonaws.com`). */
  readonly principalId: string;
  readonly sourceIp: string;
  /** The request's id (`x-amz-request-id`). */
  readonly requestId: string;
  /**
   * The caller's `X-Amzn-Trace-Id` when it sent one (the SDK sends the function's trace header
   * from inside Lambda), so the invocations an event causes continue the trace and Lambda's
   * recursive loop detection can count the chain.
   */
  readonly traceHeader?: string;
}

export interface ObjectChangeSink {
  /** Called inside the write's transaction; throwing aborts the write. */
  record(change: ObjectChange): void;
}
