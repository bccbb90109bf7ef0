/**
 * The artifact bucket, one per account and region, in its own stack `sluice-bootstrap`: SSE-S3
 * encryption, every public access block on, and a lifecycle rule. `deploy` finds the bucket from
 * the stack's BucketName output.
 *
 * Expiry after EXPIRE_AFTER_DAYS (90): CloudFormation reads a function's zip only when it creates
 * or updates the function (or rolls back to it), so old uploads are garbage; 90 days keeps every
 * zip a recent rollback could need, and deploy re-uploads (restarting the clock of) any zip it uses
 * that is older than REFRESH_AFTER_DAYS (30, artifacts.ts), so the code of a live stack is there.
 * Incomplete multipart uploads are aborted after a day: they are invisible and billed. A bucket
 * policy refuses every request not made over TLS.
 */

import type { Template } from "../template/template.ts";
import { DEPLOY_ERROR, DeployError } from "./deploy-error.ts";
import { deployStack, type StackContext, type StackDeployResult } from "./deploy-stack.ts";
import { describeStack, stackOutputs } from "./stacks.ts";

export const BOOTSTRAP_STACK = "sluice-bootstrap";
const BUCKET_OUTPUT = "BucketName";
export const EXPIRE_AFTER_DAYS = 90;
const ABORT_MULTIPART_AFTER_DAYS = 1;

export function bootstrapTemplate(): Template {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Sluice artifact bucket: function zips and large templates that `sluice deploy` uploads",
    Parameters: {},
    Resources: {
      ArtifactBucket: {
        Type: "AWS::S3::Bucket",
        // Keep the zips live stacks were built from if this stack is ever deleted by mistake.
        DeletionPolicy: "Retain",
        UpdateReplacePolicy: "Retain",
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          LifecycleConfiguration: {
            Rules: [
              {
                Id: "expire-old-uploads",
                Status: "Enabled",
                ExpirationInDays: EXPIRE_AFTER_DAYS,
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_MULTIPART_AFTER_DAYS },
              },
            ],
          },
          Tags: [{ Key: "sluice:bootstrap", Value: "artifacts" }],
        },
      },
      // Code and templates travel only over TLS, whoever holds a grant to the bucket.
      ArtifactBucketPolicy: {
        Type: "AWS::S3::BucketPolicy",
        Properties: {
          Bucket: { Ref: "ArtifactBucket" },
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [
                  { "Fn::GetAtt": ["ArtifactBucket", "Arn"] },
                  { "Fn::Join": ["", [{ "Fn::GetAtt": ["ArtifactBucket", "Arn"] }, "/*"]] },
                ],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          },
        },
      },
    },
    Outputs: {
      [BUCKET_OUTPUT]: { Description: "The artifact bucket", Value: { Ref: "ArtifactBucket" } },
    },
  };
}

/** Creates or updates the bootstrap stack; running it again changes nothing. */
export async function bootstrapRegion(context: StackContext): Promise<StackDeployResult> {
  const body = JSON.stringify(bootstrapTemplate());
  return deployStack(context, {
    stackName: BOOTSTRAP_STACK,
    template: { TemplateBody: body, bytes: Buffer.byteLength(body) },
    parameters: [],
    tags: [{ Key: "sluice:bootstrap", Value: "artifacts" }],
    capabilities: [],
  });
}

/** The artifact bucket of this region, from the bootstrap stack's output. */
export async function artifactBucket(context: Pick<StackContext, "clients">): Promise<string> {
  const { region } = context.clients;
  const stack = await describeStack(context.clients.cloudFormation, BOOTSTRAP_STACK);
  const bucket = stack ? stackOutputs(stack)[BUCKET_OUTPUT] : undefined;
  if (bucket === undefined) {
    throw new DeployError(
      DEPLOY_ERROR.notBootstrapped,
      `no artifact bucket in ${region} (stack ${BOOTSTRAP_STACK} ${stack ? `is ${stack.StackStatus} without a ${BUCKET_OUTPUT} output` : "does not exist"}); run \`sluice bootstrap --region ${region}\` first`,
      { context: { region } },
    );
  }
  return bucket;
}
