/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy on the local S3 surface. The bucket keeps the
 * configuration its properties give, in those property names (model/bucket-configuration.ts: the
 * one shape the local S3 reads): encryption, public access block, versioning, lifecycle rules
 * (expiry), website, CORS and notifications (the region's cloud delivers them). Deleting a bucket
 * that still holds objects fails with S3's BucketNotEmpty, as on AWS.
 */
import { AwsError } from "../../../model/errors.ts";
import { bucketArnOf, urlSuffix } from "../../../model/naming.ts";
import {
  filtersOverlap,
  S3_NOTIFICATION_EVENT_TYPES,
  typesOverlap,
} from "../../../model/validate/bucket-events.ts";
import { type ResourceContext, ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import {
  generatedName,
  jsonProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";
import type { NotificationDestination, ProviderEnv } from "./provider-env.ts";

const CONFIGURATION_KEYS = [
  "BucketEncryption",
  "PublicAccessBlockConfiguration",
  "LifecycleConfiguration",
  "VersioningConfiguration",
  "OwnershipControls",
  "Tags",
  "NotificationConfiguration",
  "WebsiteConfiguration",
  "CorsConfiguration",
] as const;

function configuration(properties: Properties): Record<string, unknown> {
  const rules = (properties.LifecycleConfiguration as { Rules?: unknown } | undefined)?.Rules;
  if (properties.LifecycleConfiguration !== undefined && !Array.isArray(rules)) {
    throw new ResourceFailure("LifecycleConfiguration needs a list of Rules.");
  }
  const cors = (properties.CorsConfiguration as { CorsRules?: unknown } | undefined)?.CorsRules;
  if (properties.CorsConfiguration !== undefined && !Array.isArray(cors)) {
    throw new ResourceFailure("CorsConfiguration needs a list of CorsRules.");
  }
  checkNotifications(properties.NotificationConfiguration);
  return Object.fromEntries(
    CONFIGURATION_KEYS.filter((k) => properties[k] !== undefined).map((k) => [k, properties[k]]),
  );
}

const DESTINATIONS = [
  ["LambdaConfigurations", "Function"],
  ["QueueConfigurations", "Queue"],
  ["TopicConfigurations", "Topic"],
] as const;

/**
 * What S3's PutBucketNotificationConfiguration refuses in any configuration (InvalidArgument): an
 * event type it does not have, a destination without an ARN, a key filter rule other than
 * `prefix` or `suffix` or two of one kind, and two configurations that overlap. The definition's
 * own validation catches these before a template exists; this is for templates written by hand.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
function checkNotifications(value: unknown): void {
  if (value === undefined) return;
  const notification = value as Record<string, unknown>;
  const seen: KeyFilter[] = [];
  for (const [list, arnKey] of DESTINATIONS) {
    const configs = notification[list];
    if (configs === undefined) continue;
    if (!Array.isArray(configs))
      throw new ResourceFailure(`NotificationConfiguration.${list} must be a list.`);
    for (const raw of configs) {
      const config = (raw ?? {}) as Record<string, unknown>;
      if (!(S3_NOTIFICATION_EVENT_TYPES as readonly unknown[]).includes(config.Event)) {
        throw new ResourceFailure(
          `The event is not supported for notifications (Service: S3, Status Code: 400, Error Code: InvalidArgument, Event: ${String(config.Event)})`,
        );
      }
      if (typeof config[arnKey] !== "string" || config[arnKey] === "") {
        throw new ResourceFailure(
          `NotificationConfiguration.${list}: each configuration needs its ${arnKey} ARN.`,
        );
      }
      const filter = config.Filter as { S3Key?: { Rules?: unknown } } | undefined;
      const keys: KeyFilter = { event: String(config.Event) };
      for (const rule of (filter?.S3Key?.Rules ?? []) as { Name?: unknown; Value?: unknown }[]) {
        const name = String(rule?.Name ?? "").toLowerCase();
        if (name !== "prefix" && name !== "suffix") {
          throw new ResourceFailure(
            `filter rule name must be either prefix or suffix (Service: S3, Status Code: 400, Error Code: InvalidArgument)`,
          );
        }
        // "The same type of filter rule cannot be used more than once" (AWS::S3::Bucket S3KeyFilter).
        if (keys[name] !== undefined) {
          throw new ResourceFailure(
            `The same type of filter rule cannot be used more than once: two ${name} rules (Service: S3, Status Code: 400, Error Code: InvalidArgument)`,
          );
        }
        keys[name] = String(rule?.Value ?? "");
      }
      checkOverlap(seen, keys);
      seen.push(keys);
    }
  }
}

interface KeyFilter {
  event: string;
  prefix?: string;
  suffix?: string;
}

/**
 * S3 refuses two configurations, whatever their destinations, that one event of one key could
 * both match: the definition's own rule (validate/bucket-events.ts), for templates written by hand.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */
function checkOverlap(seen: readonly KeyFilter[], keys: KeyFilter): void {
  const other = seen.find((s) => typesOverlap(s.event, keys.event) && filtersOverlap(s, keys));
  if (other === undefined) return;
  const same = (other.prefix ?? "") === (keys.prefix ?? "") && (other.suffix ?? "") === (keys.suffix ?? "");
  throw new ResourceFailure(
    `${
      same
        ? "Configurations overlap. Configurations on the same bucket cannot share a common event type."
        : "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type."
    } (Service: S3, Status Code: 400, Error Code: InvalidArgument, Event: ${other.event}, ${keys.event})`,
  );
}

/** The function and queue destinations of a (checked) NotificationConfiguration. */
function destinations(properties: Properties): NotificationDestination[] {
  const notification = (properties.NotificationConfiguration ?? {}) as Record<string, unknown>;
  const of = (list: string, arnKey: string, kind: NotificationDestination["kind"]) =>
    ((notification[list] ?? []) as Record<string, unknown>[]).map((c) => ({ kind, arn: String(c[arnKey]) }));
  return [
    ...of("LambdaConfigurations", "Function", "function"),
    ...of("QueueConfigurations", "Queue", "queue"),
  ];
}

/** S3's refusal when a destination is missing or does not let S3 send (the template lacked a DependsOn, say). */
function checkDestinations(
  env: ProviderEnv,
  properties: Properties,
  bucketArn: string,
  context: ResourceContext,
): void {
  const port = env.notificationDestinations;
  if (!port) return;
  const unreachable = port.unreachable(context.region, bucketArn, destinations(properties));
  if (unreachable.length === 0) return;
  throw new ResourceFailure(
    `Unable to validate the following destination configurations (Service: S3, Status Code: 400, Error Code: InvalidArgument, Destinations: ${unreachable.map((d) => d.arn).join(", ")})`,
  );
}

function s3Failure(error: unknown, bucket: string): never {
  if (error instanceof AwsError) {
    throw new ResourceFailure(
      `${error.message} (Service: S3, Status Code: ${error.statusCode}, Error Code: ${error.code}, Bucket: ${bucket})`,
    );
  }
  throw error;
}

export function bucketProvider(env: ProviderEnv) {
  const attributes = (name: string, context: ResourceContext) => {
    const domain = urlSuffix(context.region);
    return {
      Arn: bucketArnOf(context.region, name),
      DomainName: `${name}.s3.${domain}`,
      RegionalDomainName: `${name}.s3.${context.region}.${domain}`,
      DualStackDomainName: `${name}.s3.dualstack.${context.region}.${domain}`,
      WebsiteURL: `http://${name}.s3-website-${context.region}.${domain}`,
    };
  };
  return defineProvider("AWS::S3::Bucket", {
    create(properties, context) {
      const name =
        stringProp(properties, "BucketName") ??
        generatedName(context, { maxLength: 63, lowerCase: true, random: env.random ?? randomChars });
      const config = configuration(properties);
      checkDestinations(env, properties, attributes(name, context).Arn, context);
      try {
        env.s3.createBucket(name, context.region, context.accountId);
        env.s3.setBucketConfiguration(name, config);
      } catch (error) {
        s3Failure(error, name);
      }
      return { physicalId: name, attributes: attributes(name, context) };
    },
    update(current, properties, context) {
      // The bucket's policy is a resource of its own (AWS::S3::BucketPolicy): an update keeps it.
      const policy = env.s3.bucket(current.physicalId)?.configuration[POLICY_KEY];
      const config = {
        ...configuration(properties),
        ...(policy === undefined ? {} : { [POLICY_KEY]: policy }),
      };
      checkDestinations(env, properties, attributes(current.physicalId, context).Arn, context);
      try {
        env.s3.setBucketConfiguration(current.physicalId, config);
      } catch (error) {
        s3Failure(error, current.physicalId);
      }
      return { physicalId: current.physicalId, attributes: attributes(current.physicalId, context) };
    },
    delete(current) {
      if (!env.s3.bucket(current.physicalId)) return;
      try {
        env.s3.deleteBucket(current.physicalId);
      } catch (error) {
        s3Failure(error, current.physicalId);
      }
    },
  });
}

/**
 * Where the bucket's configuration keeps its policy: AWS::S3::BucketPolicy's property name, as the
 * S3 wire's `?policy` reads and writes it (wire/bucket-subresources.ts).
 */
const POLICY_KEY = "PolicyDocument";

/**
 * The policy is set on the bucket (PutBucketPolicy), so GetBucketPolicy answers it; S3 does not
 * evaluate it locally. Deleting the resource deletes the bucket's policy (DeleteBucketPolicy).
 */
export function bucketPolicyProvider(env: ProviderEnv) {
  const provision = (properties: Properties, context: ResourceContext) => {
    const bucket = requiredString(properties, "Bucket", context);
    const document = jsonProp(properties, POLICY_KEY);
    if (document === undefined) {
      throw new ResourceFailure(
        `Properties validation failed for resource ${context.logicalId} with message: #: required key [PolicyDocument] not found`,
      );
    }
    const info = env.s3.bucket(bucket);
    if (!info) {
      throw new ResourceFailure(
        `The specified bucket does not exist (Service: S3, Status Code: 404, Error Code: NoSuchBucket, Bucket: ${bucket})`,
      );
    }
    env.s3.setBucketConfiguration(bucket, { ...info.configuration, [POLICY_KEY]: document });
    return { physicalId: bucket, attributes: {} };
  };
  return defineProvider("AWS::S3::BucketPolicy", {
    create: provision,
    update: (current, properties, context) => {
      const bucket = requiredString(properties, "Bucket", context);
      if (bucket !== current.physicalId) removePolicy(env, current.physicalId);
      return provision(properties, context);
    },
    delete: (current) => removePolicy(env, current.physicalId),
  });
}

function removePolicy(env: ProviderEnv, bucket: string): void {
  const info = env.s3.bucket(bucket);
  if (!info || info.configuration[POLICY_KEY] === undefined) return;
  const { [POLICY_KEY]: _, ...rest } = info.configuration;
  env.s3.setBucketConfiguration(bucket, rest);
}
