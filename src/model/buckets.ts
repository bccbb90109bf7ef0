/**
 * What a user writes for S3 in `sluice.config.ts`: buckets, the object events that drive the app's
 * functions and queues (S3 event notifications) and the default bus (S3's EventBridge
 * notifications), versioning, lifecycle expiration, website hosting and CORS. Normalised into
 * `BucketSpec` (app-spec.ts) by validate/buckets.ts.
 */
import type { Duration } from "./duration.ts";

/**
 * The S3 event types a notification can name (S3's "supported event types"): a whole family with
 * `*`, or one event of it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
export type S3EventType =
  | "s3:ObjectCreated:*"
  | "s3:ObjectCreated:Put"
  | "s3:ObjectCreated:Post"
  | "s3:ObjectCreated:Copy"
  | "s3:ObjectCreated:CompleteMultipartUpload"
  | "s3:ObjectRemoved:*"
  | "s3:ObjectRemoved:Delete"
  | "s3:ObjectRemoved:DeleteMarkerCreated"
  | "s3:LifecycleExpiration:*"
  | "s3:LifecycleExpiration:Delete"
  | "s3:LifecycleExpiration:DeleteMarkerCreated"
  | "s3:ObjectTagging:*"
  | "s3:ObjectTagging:Put"
  | "s3:ObjectTagging:Delete";

/** Which objects a notification is about: S3's key name filter (prefix and suffix rules). */
interface BucketEventFilter {
  /** Only keys that start with this. @default every key @example prefix: "posts/" */
  prefix?: string;
  /** Only keys that end with this. @default every key @example suffix: ".md" */
  suffix?: string;
}

/**
 * One S3 event notification: the events, the key filter, and one destination, a function of the
 * app (invoked asynchronously, with its retry settings and destinations) or a standard queue.
 */
export type BucketEventDefinition<
  FunctionName extends string = string,
  QueueName extends string = string,
> = BucketEventFilter & {
  /** @example on: ["s3:ObjectCreated:*"] */
  on: readonly S3EventType[];
} & (
    | { /** @example function: "render" */ function: FunctionName; queue?: never }
    | { /** A standard queue (S3 cannot notify a FIFO queue). */ queue: QueueName; function?: never }
  );

/** One lifecycle rule: what S3 expires, and when. */
export interface BucketLifecycleRuleDefinition {
  /** Objects whose keys start with this. @default every object @example prefix: "tmp/" */
  prefix?: string;
  /**
   * Expire current objects this long after their creation, in whole days: S3 counts days (and
   * rounds to the next midnight UTC), so `"36 hours"` is refused rather than rounded.
   * @example expiration: "1 day"
   */
  expiration?: Duration;
  /** In a versioned bucket, delete noncurrent versions this long (whole days) after they became noncurrent. @default never */
  noncurrentExpiration?: Duration;
  /** Abort multipart uploads left incomplete this long after they began. @default never */
  abortIncompleteUploads?: Duration;
}

/** Static website hosting: the index document of each folder, and the page for errors. */
export interface BucketWebsiteDefinition {
  /** The object served for a request that names a folder. @example index: "index.html" */
  index: string;
  /** The object served, with a 4xx status, when the request fails. @default S3's own error page @example error: "404.html" */
  error?: string;
}

/** One CORS rule, as S3 applies them: the first rule that matches the request's origin and method. */
export interface BucketCorsRuleDefinition {
  /** @example allowedOrigins: ["https://example.com"] */
  allowedOrigins: readonly string[];
  /** @example allowedMethods: ["GET", "PUT"] */
  allowedMethods: readonly ("GET" | "PUT" | "POST" | "DELETE" | "HEAD")[];
  /** Request headers a preflight may ask for (`*` for any). @default none */
  allowedHeaders?: readonly string[];
  /** Response headers a browser's script may read. @default none */
  exposeHeaders?: readonly string[];
  /** How long a browser may cache the preflight's answer. @default not cached */
  maxAge?: Duration;
}

export interface BucketDefinition<FunctionName extends string = string, QueueName extends string = string> {
  /**
   * Object events that invoke a function or send to a queue. Two notifications for the same event
   * type may not have overlapping prefix/suffix filters (S3 refuses that configuration).
   * @default none
   * @example events: [{ function: "render", on: ["s3:ObjectCreated:*"], prefix: "posts/", suffix: ".md" }]
   */
  events?: readonly BucketEventDefinition<FunctionName, QueueName>[];
  /** Also send every object event to the default event bus (S3's EventBridge notifications). @default false */
  eventBridge?: boolean;
  /** Keep every version of every object. @default false */
  versioning?: boolean;
  /** @default no lifecycle rules @example lifecycle: [{ prefix: "tmp/", expiration: "1 day" }] */
  lifecycle?: readonly BucketLifecycleRuleDefinition[];
  /**
   * Serve the bucket as a static website (locally on a URL `sluice dev` prints). Deployed, this
   * makes every object of the bucket readable by anyone: S3's website endpoint serves only public
   * objects, so the bucket's policy allows `s3:GetObject` to everyone and its public access block
   * lets that policy through (an account-level block refuses the deploy). Keep private objects in
   * another bucket. @default not a website
   */
  website?: BucketWebsiteDefinition;
  /** @default no CORS rules: browsers on other origins cannot use the bucket */
  cors?: readonly BucketCorsRuleDefinition[];
}
