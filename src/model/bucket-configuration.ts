/**
 * A bucket's configuration in AWS::S3::Bucket's property names, the one shape Sluice keeps a
 * bucket's settings in: synth writes it into the template (with intrinsics for the ARNs), the
 * local CloudFormation provider stores what a template gives, and `sluice dev` stores the same
 * properties for the definition's buckets, so the local S3 reads one shape whoever configured it.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
 */
import type { BucketNotificationSpec, BucketSpec } from "./app-spec.ts";

/** How to write the ARN of a notification's destination: a literal ARN locally, an intrinsic in a template. */
export interface NotificationArns {
  function(name: string): unknown;
  queue(name: string): unknown;
}

export function bucketProperties(bucket: BucketSpec, arns: NotificationArns): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    BucketName: bucket.bucketName,
    // S3's defaults for new buckets since April 2023, written out so a template says them. A
    // website is read by everyone through its bucket policy (synth's bucket.ts), which these two
    // would refuse and ignore: there only ACLs stay blocked
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html).
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: !bucket.website,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: !bucket.website,
    },
  };
  if (bucket.versioning) properties.VersioningConfiguration = { Status: "Enabled" };
  if (bucket.lifecycle.length > 0) {
    properties.LifecycleConfiguration = {
      Rules: bucket.lifecycle.map((rule) => ({
        Id: rule.id,
        Status: "Enabled",
        ...(rule.prefix ? { Prefix: rule.prefix } : {}),
        ...(rule.expirationDays === undefined ? {} : { ExpirationInDays: rule.expirationDays }),
        ...(rule.noncurrentExpirationDays === undefined
          ? {}
          : { NoncurrentVersionExpiration: { NoncurrentDays: rule.noncurrentExpirationDays } }),
        ...(rule.abortIncompleteUploadDays === undefined
          ? {}
          : { AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteUploadDays } }),
      })),
    };
  }
  if (bucket.website) {
    properties.WebsiteConfiguration = {
      IndexDocument: bucket.website.index,
      ...(bucket.website.error ? { ErrorDocument: bucket.website.error } : {}),
    };
  }
  if (bucket.cors.length > 0) {
    properties.CorsConfiguration = {
      CorsRules: bucket.cors.map((rule) => ({
        AllowedOrigins: [...rule.allowedOrigins],
        AllowedMethods: [...rule.allowedMethods],
        ...(rule.allowedHeaders.length > 0 ? { AllowedHeaders: [...rule.allowedHeaders] } : {}),
        ...(rule.exposeHeaders.length > 0 ? { ExposedHeaders: [...rule.exposeHeaders] } : {}),
        ...(rule.maxAgeSeconds === undefined ? {} : { MaxAge: rule.maxAgeSeconds }),
      })),
    };
  }
  const notification = notificationConfiguration(bucket, arns);
  if (notification) properties.NotificationConfiguration = notification;
  return properties;
}

/**
 * CloudFormation takes one event type per configuration, so a notification naming several
 * becomes several configurations with the same filter.
 */
function notificationConfiguration(
  bucket: BucketSpec,
  arns: NotificationArns,
): Record<string, unknown> | undefined {
  const lambda: Record<string, unknown>[] = [];
  const queue: Record<string, unknown>[] = [];
  for (const n of bucket.notifications) {
    for (const event of n.events) {
      const filter = keyFilter(n);
      if (n.target.kind === "function") {
        lambda.push({ Event: event, Function: arns.function(n.target.name), ...filter });
      } else {
        queue.push({ Event: event, Queue: arns.queue(n.target.name), ...filter });
      }
    }
  }
  if (lambda.length === 0 && queue.length === 0 && !bucket.eventBridge) return undefined;
  return {
    ...(bucket.eventBridge ? { EventBridgeConfiguration: { EventBridgeEnabled: true } } : {}),
    ...(lambda.length > 0 ? { LambdaConfigurations: lambda } : {}),
    ...(queue.length > 0 ? { QueueConfigurations: queue } : {}),
  };
}

function keyFilter(n: BucketNotificationSpec): Record<string, unknown> {
  const rules = [
    ...(n.prefix ? [{ Name: "prefix", Value: n.prefix }] : []),
    ...(n.suffix ? [{ Name: "suffix", Value: n.suffix }] : []),
  ];
  return rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {};
}

/**
 * The prefix and suffix of a stored `Filter` (`S3Key.Rules`: `[{ Name: "prefix" | "suffix", Value }]`),
 * the reverse of keyFilter; S3 takes the rule names in any case.
 */
export function readKeyFilter(filter: unknown): { prefix?: string; suffix?: string } {
  const out: { prefix?: string; suffix?: string } = {};
  const rules = isRecord(filter) && isRecord(filter.S3Key) ? filter.S3Key.Rules : undefined;
  if (!Array.isArray(rules)) return out;
  for (const rule of rules) {
    if (!isRecord(rule) || typeof rule.Name !== "string" || typeof rule.Value !== "string") continue;
    const name = rule.Name.toLowerCase();
    if (name === "prefix") out.prefix = rule.Value;
    else if (name === "suffix") out.suffix = rule.Value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
