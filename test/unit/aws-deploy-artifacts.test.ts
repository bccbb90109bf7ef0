import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { artifactKey } from "../../src/aws/deploy/artifacts.ts";
import { bootstrapTemplate, EXPIRE_AFTER_DAYS } from "../../src/aws/deploy/bootstrap.ts";
import { capabilitiesFor } from "../../src/aws/deploy/capabilities.ts";
import { copyOf } from "../../src/aws/deploy/move-messages.ts";
import { templateFitsInline, templateUrl } from "../../src/aws/deploy/template-source.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { validateTemplate } from "../support/aws-schema.ts";

describe("artifacts and templates", () => {
  test("keys zips by the SHA-256 of their bytes", () => {
    assert.equal(artifactKey("ab12"), "sluice/artifacts/ab12.zip");
  });

  test("passes a template inline up to 51,200 bytes, through S3 above", () => {
    assert.equal(templateFitsInline("x".repeat(51_200)), true);
    assert.equal(templateFitsInline("x".repeat(51_201)), false);
    // Bytes, not characters: é is two bytes in UTF-8.
    assert.equal(templateFitsInline("é".repeat(25_601)), false);
  });

  test("points TemplateURL at the bucket's regional host, or path-style at a custom endpoint", () => {
    assert.equal(
      templateUrl("eu-west-1", "b", "sluice/templates/x.json"),
      "https://b.s3.eu-west-1.amazonaws.com/sluice/templates/x.json",
    );
    assert.equal(
      templateUrl("eu-west-1", "b", "sluice/templates/x.json", "http://127.0.0.1:4566/"),
      "http://127.0.0.1:4566/b/sluice/templates/x.json",
    );
  });

  test("asks for CAPABILITY_IAM for unnamed roles, NAMED_IAM when one has a name", async () => {
    const template = await synthesize(
      normaliseApp({ name: "shop", functions: { f: { handler: "src/f.handler" } } }),
    );
    assert.deepEqual(capabilitiesFor(template), ["CAPABILITY_IAM"]);
    const role = Object.values(template.Resources).find((r) => r.Type === "AWS::IAM::Role");
    assert.ok(role?.Properties);
    role.Properties.RoleName = "fixed";
    assert.deepEqual(capabilitiesFor(template), ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]);
    assert.deepEqual(capabilitiesFor(bootstrapTemplate()), []);
  });

  test("the bootstrap bucket is encrypted, blocks public access, refuses plain HTTP, expires old uploads and is valid", async () => {
    const template = bootstrapTemplate();
    const bucket = template.Resources.ArtifactBucket?.Properties as Record<string, unknown>;
    assert.deepEqual(bucket.BucketEncryption, {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
    });
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual(bucket.LifecycleConfiguration, {
      Rules: [
        {
          Id: "expire-old-uploads",
          Status: "Enabled",
          ExpirationInDays: EXPIRE_AFTER_DAYS,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    });
    const policy = template.Resources.ArtifactBucketPolicy?.Properties as {
      Bucket: unknown;
      PolicyDocument: { Statement: Record<string, unknown>[] };
    };
    assert.deepEqual(policy.Bucket, { Ref: "ArtifactBucket" });
    assert.deepEqual(
      policy.PolicyDocument.Statement.map((s) => [s.Effect, s.Action, s.Condition]),
      [["Deny", "s3:*", { Bool: { "aws:SecureTransport": "false" } }]],
      "every request not made over TLS is refused",
    );
    assert.deepEqual(template.Outputs.BucketName?.Value, { Ref: "ArtifactBucket" });
    assert.deepEqual(await validateTemplate(template), []);
  });
});

describe("moving messages between queues", () => {
  const received = {
    MessageId: "m1",
    ReceiptHandle: "rh",
    Body: '{"n":1}',
    Attributes: {
      MessageGroupId: "site-a",
      MessageDeduplicationId: "dedup-1",
      AWSTraceHeader: "Root=1-abc",
      ApproximateReceiveCount: "2",
      SentTimestamp: "1",
    },
    MessageAttributes: { kind: { DataType: "String", StringValue: "page" } },
  };

  test("a FIFO copy keeps body, message attributes, trace header, group and deduplication IDs", () => {
    assert.deepEqual(copyOf(received, { toUrl: "https://q/new.fifo", fifo: true }), {
      QueueUrl: "https://q/new.fifo",
      MessageBody: '{"n":1}',
      MessageAttributes: { kind: { DataType: "String", StringValue: "page" } },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-abc" } },
      MessageGroupId: "site-a",
      MessageDeduplicationId: "dedup-1",
    });
  });

  test("a standard copy sends no FIFO fields", () => {
    const copy = copyOf({ ...received, MessageAttributes: {} }, { toUrl: "https://q/new", fifo: false });
    assert.equal("MessageGroupId" in copy, false);
    assert.equal("MessageDeduplicationId" in copy, false);
    assert.equal("MessageAttributes" in copy, false);
  });
});
