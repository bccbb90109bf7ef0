/**
 * AWS::S3::Bucket and AWS::S3::BucketPolicy on the local S3 surface. The bucket keeps the
 * configuration its properties give (encryption, public access block, lifecycle rules drive
 * expiry). Deleting a bucket that still holds objects fails with S3's BucketNotEmpty, as on AWS.
 */
import { AwsError } from "../../../model/errors.ts";
import { urlSuffix } from "../../../model/naming.ts";
import { ResourceFailure, type ResourceContext } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import type { ProviderEnv } from "./provider-env.ts";
import {
  generatedName,
  jsonProp,
  type Properties,
  randomChars,
  requiredString,
  stringProp,
} from "./properties.ts";

const CONFIGURATION_KEYS = [
  "BucketEncryption",
  "PublicAccessBlockConfiguration",
  "LifecycleConfiguration",
  "VersioningConfiguration",
  "OwnershipControls",
  "Tags",
] as const;

function configuration(properties: Properties): Record<string, unknown> {
  const rules = (properties.LifecycleConfiguration as { Rules?: unknown } | undefined)?.Rules;
  if (properties.LifecycleConfiguration !== undefined && !Array.isArray(rules)) {
    throw new ResourceFailure("LifecycleConfiguration needs a list of Rules.");
  }
  return Object.fromEntries(
    CONFIGURATION_KEYS.filter((k) => properties[k] !== undefined).map((k) => [k, properties[k]]),
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
      Arn: `arn:${context.partition}:s3:::${name}`,
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
      try {
        env.s3.createBucket(name, context.region, context.accountId);
        env.s3.setBucketConfiguration(name, config);
      } catch (error) {
        s3Failure(error, name);
      }
      return { physicalId: name, attributes: attributes(name, context) };
    },
    update(current, properties, context) {
      try {
        env.s3.setBucketConfiguration(current.physicalId, configuration(properties));
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

export function bucketPolicyProvider() {
  const provision = (properties: Properties, context: ResourceContext) => {
    const bucket = requiredString(properties, "Bucket", context);
    if (jsonProp(properties, "PolicyDocument") === undefined) {
      throw new ResourceFailure(
        `Properties validation failed for resource ${context.logicalId} with message: #: required key [PolicyDocument] not found`,
      );
    }
    return { physicalId: bucket, attributes: {} };
  };
  return defineProvider("AWS::S3::BucketPolicy", {
    create: provision,
    update: (_current, properties, context) => provision(properties, context),
  });
}
