/**
 * A region's deployed S3 buckets as the AppSpec the region's cloud runs: each bucket keyed by its
 * physical name (global, as on AWS), its settings read back from AWS::S3::Bucket's properties (the
 * shape synth writes with model/bucket-configuration.ts), and each notification's destination
 * resolved to the function or queue of the region its ARN names, so `bucketProperties` of the
 * result writes the same configuration again. A destination the region did not deploy is left out
 * with a note: S3 would have refused the configuration ("Unable to validate the following
 * destination configurations").
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
 */
import type {
  BucketCorsRuleSpec,
  BucketLifecycleRuleSpec,
  BucketNotificationSpec,
  BucketSpec,
} from "../../model/app-spec.ts";
import { readKeyFilter } from "../../model/bucket-configuration.ts";
import {
  type DeployedResource,
  list,
  num,
  obj,
  type Props,
  type ResourceIndex,
  str,
} from "./deployed-resources.ts";

const BUCKET_TYPE = "AWS::S3::Bucket";

export function translateBuckets(index: ResourceIndex): Record<string, BucketSpec> | undefined {
  const deployed = index.of(BUCKET_TYPE);
  if (deployed.length === 0) return undefined;
  const buckets: Record<string, BucketSpec> = {};
  for (const resource of deployed) {
    const bucket = bucketSpec(index, resource);
    buckets[bucket.name] = bucket;
  }
  return buckets;
}

function bucketSpec(index: ResourceIndex, resource: DeployedResource): BucketSpec {
  const p = resource.properties;
  const name = resource.physicalId;
  const notification = obj(p.NotificationConfiguration);
  const website = obj(p.WebsiteConfiguration);
  const indexDocument = str(website.IndexDocument);
  const error = str(website.ErrorDocument);
  return {
    name,
    bucketName: name,
    notifications: notifications(index, name, notification),
    eventBridge: isTrue(obj(notification.EventBridgeConfiguration).EventBridgeEnabled),
    versioning: str(obj(p.VersioningConfiguration).Status) === "Enabled",
    lifecycle: lifecycle(obj(p.LifecycleConfiguration)),
    ...(indexDocument === undefined
      ? {}
      : { website: { index: indexDocument, ...(error === undefined ? {} : { error }) } }),
    cors: list(obj(p.CorsConfiguration).CorsRules).map((raw) => corsRule(obj(raw))),
  };
}

/** One notification per configuration (CloudFormation's hold one event each), numbered in order. */
function notifications(index: ResourceIndex, bucket: string, notification: Props): BucketNotificationSpec[] {
  const out: BucketNotificationSpec[] = [];
  const kinds = [
    ["function", "LambdaConfigurations", "Function"],
    ["queue", "QueueConfigurations", "Queue"],
  ] as const;
  for (const [kind, key, arnKey] of kinds) {
    for (const raw of list(notification[key])) {
      const config = obj(raw);
      const arn = str(config[arnKey]) ?? "";
      const event = str(config.Event);
      const target = kind === "function" ? index.functionName(arn) : index.queueName(arn);
      if (target === undefined || event === undefined) {
        index.notes.push(
          `bucket ${bucket}: notification destination ${arn} is not a ${kind} deployed in this region`,
        );
        continue;
      }
      const { prefix, suffix } = readKeyFilter(config.Filter);
      out.push({
        id: str(config.Id) ?? `${kind}-${out.length}`,
        target: { kind, name: target },
        events: [event],
        ...(prefix === undefined ? {} : { prefix }),
        ...(suffix === undefined ? {} : { suffix }),
      });
    }
  }
  return out;
}

/** The enabled rules; a rule's prefix is its legacy `Prefix` or its filter's. */
function lifecycle(configuration: Props): BucketLifecycleRuleSpec[] {
  return list(configuration.Rules)
    .map(obj)
    .filter((rule) => str(rule.Status) === "Enabled")
    .map((rule, i) => {
      const noncurrent =
        obj(rule.NoncurrentVersionExpiration).NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
      const abort = obj(rule.AbortIncompleteMultipartUpload).DaysAfterInitiation;
      return {
        id: str(rule.Id) ?? `rule-${i}`,
        prefix: str(rule.Prefix) ?? str(obj(rule.Filter).Prefix) ?? "",
        ...days("expirationDays", rule.ExpirationInDays),
        ...days("noncurrentExpirationDays", noncurrent),
        ...days("abortIncompleteUploadDays", abort),
      };
    });
}

function days<K extends string>(key: K, value: unknown): { [P in K]?: number } {
  const n = num(value, Number.NaN);
  return (Number.isFinite(n) ? { [key]: n } : {}) as { [P in K]?: number };
}

function corsRule(rule: Props): BucketCorsRuleSpec {
  const maxAge = num(rule.MaxAge, Number.NaN);
  return {
    allowedOrigins: list(rule.AllowedOrigins).map(String),
    allowedMethods: list(rule.AllowedMethods).map(String),
    allowedHeaders: list(rule.AllowedHeaders).map(String),
    exposeHeaders: list(rule.ExposedHeaders).map(String),
    ...(Number.isFinite(maxAge) ? { maxAgeSeconds: maxAge } : {}),
  };
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
