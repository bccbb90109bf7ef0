/**
 * AWS::S3::Bucket from a BucketSpec, with what its settings need around it: a Lambda permission
 * per notified function, a bucket policy, and the order CloudFormation must create them in.
 *
 * The properties are `bucketProperties` (model/bucket-configuration.ts), the shape `sluice dev`
 * and `sluice cloud` keep a bucket's settings in, with the destinations' ARNs as intrinsics.
 * S3 tests every destination when a notification configuration is set ("Unable to validate the
 * following destination configurations"), so the bucket `DependsOn` each permission and queue
 * policy; nothing of theirs refers to the bucket (its name and ARN are written out, see
 * references.ts bucketNameValue), so there is no cycle.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-notificationconfiguration.html
 */
import type { AppSpec, BucketSpec } from "../../model/app-spec.ts";
import { bucketProperties } from "../../model/bucket-configuration.ts";
import { servicePrincipal } from "../../model/naming.ts";
import { logicalId } from "../template/logical-ids.ts";
import type { TemplateResource, TemplateValue } from "../template/template.ts";
import { bucketArnValue, bucketNameValue, functionArnValue, queueArnValue } from "./references.ts";
import { POLICY_VERSION } from "./role.ts";

export function bucketResources(spec: AppSpec, bucket: BucketSpec): Record<string, TemplateResource> {
  const properties = bucketProperties(bucket, {
    function: (name) => functionArnValue(spec, name),
    queue: (name) => queueArnValue(name),
  }) as Record<string, TemplateValue>;
  properties.BucketName = bucketNameValue(spec, bucket.name);
  // SSE-S3, which S3 applies to every new object since January 2023, written out so the template
  // says it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html).
  properties.BucketEncryption = {
    ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
  };
  const resources: Record<string, TemplateResource> = {};
  const dependsOn: string[] = [];
  for (const fn of notifiedFunctions(bucket)) {
    const id = logicalId("bucketPermission", `${bucket.name}-${fn}`);
    dependsOn.push(id);
    resources[id] = {
      Type: "AWS::Lambda::Permission",
      Properties: {
        Action: "lambda:InvokeFunction",
        FunctionName: functionArnValue(spec, fn),
        Principal: servicePrincipal("s3"),
        // Bucket names are global: SourceAccount keeps a bucket of that name in another account
        // (after this one is deleted) from invoking the function
        // (https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html).
        SourceArn: bucketArnValue(spec, bucket.name),
        SourceAccount: { Ref: "AWS::AccountId" },
      },
      DependsOn: [logicalId("function", fn)],
    };
  }
  // The queue policies (queue-policies.ts, one per queue) let S3 send to the notified queues.
  for (const queue of notifiedQueues(bucket)) dependsOn.push(logicalId("eventsQueuePolicy", queue));
  resources[logicalId("bucket", bucket.name)] = {
    Type: "AWS::S3::Bucket",
    Properties: properties,
    ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
    // Delete, as queues and tables: S3 refuses to delete a bucket that holds objects
    // (BucketNotEmpty; "you must delete all objects in the bucket for deletion to succeed",
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html),
    // so CloudFormation never deletes an object: a removed bucket that holds some is left behind,
    // and deploy and destroy say so first (data-at-stake.ts). Retain would also leave an empty
    // bucket whose fixed name makes the next create of the stage fail.
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
  };
  resources[logicalId("bucketPolicy", bucket.name)] = bucketPolicy(spec, bucket);
  return resources;
}

/**
 * Requests over plain HTTP are refused (`aws:SecureTransport` false), as AWS's Security Hub
 * control S3.5 asks. A website bucket is read by anyone over HTTP, the only protocol S3's website
 * endpoints speak, so there the refusal spares `s3:GetObject` and the policy lets everyone read
 * its objects ("Setting permissions for website access").
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteAccessPermissionsReqd.html
 */
function bucketPolicy(spec: AppSpec, bucket: BucketSpec): TemplateResource {
  const resources = [bucketArnValue(spec, bucket.name), bucketArnValue(spec, bucket.name, "/*")];
  const insecure = { Bool: { "aws:SecureTransport": "false" } };
  const statements: TemplateValue[] = bucket.website
    ? [
        {
          Sid: "DenyInsecureTransportExceptWebsiteReads",
          Effect: "Deny",
          Principal: "*",
          NotAction: "s3:GetObject",
          Resource: resources,
          Condition: insecure,
        },
        {
          Sid: "PublicWebsiteReads",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: bucketArnValue(spec, bucket.name, "/*"),
        },
      ]
    : [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: resources,
          Condition: insecure,
        },
      ];
  return {
    Type: "AWS::S3::BucketPolicy",
    Properties: {
      Bucket: { Ref: logicalId("bucket", bucket.name) },
      PolicyDocument: { Version: POLICY_VERSION, Statement: statements },
    },
  };
}

/** The app's functions a bucket notifies, each once, in name order. */
export function notifiedFunctions(bucket: BucketSpec): string[] {
  return targets(bucket, "function");
}

/** The queues a bucket notifies, each once, in name order. */
export function notifiedQueues(bucket: BucketSpec): string[] {
  return targets(bucket, "queue");
}

function targets(bucket: BucketSpec, kind: "function" | "queue"): string[] {
  const names = bucket.notifications.flatMap((n) => (n.target.kind === kind ? [n.target.name] : []));
  return [...new Set(names)].sort();
}
