import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { dataAtStake } from "../../src/aws/deploy/data-at-stake.ts";
import { refuseToDropBucketObjects } from "../../src/aws/deploy/deploy-region.ts";
import { atStakeLines } from "../../src/cli/aws-options.ts";

interface Listing {
  readonly objects: number;
  readonly truncated?: boolean;
  readonly versions?: number;
}

/** An S3 client that answers listings from a table of buckets, recording each call (no network). */
function clients(buckets: Record<string, Listing>) {
  const asked: string[] = [];
  const s3 = {
    send: async (command: {
      constructor: { name: string };
      input: { Bucket?: string; MaxKeys?: number };
    }) => {
      const name = command.input.Bucket ?? "";
      asked.push(`${command.constructor.name} ${name} ${command.input.MaxKeys}`);
      const bucket = buckets[name];
      if (!bucket)
        throw Object.assign(new Error("The specified bucket does not exist"), { name: "NoSuchBucket" });
      if (command.constructor.name === "ListObjectsV2Command") {
        return { KeyCount: bucket.objects, IsTruncated: bucket.truncated ?? false };
      }
      return { Versions: Array.from({ length: bucket.versions ?? 0 }, () => ({})) };
    },
  } as unknown as S3Client;
  const sqs = { send: async () => ({ Attributes: {} }) } as unknown as SQSClient;
  const dynamodb = { send: async () => ({}) } as unknown as DynamoDBClient;
  return { asked, clients: { sqs, dynamodb, s3 } };
}

const removed = (physicalId: string) => ({
  logicalId: "ContentBucket",
  type: "AWS::S3::Bucket",
  physicalId,
  dataLoss: "the bucket, if S3 lets it go: S3 keeps a bucket that holds objects",
});

describe("deploy's data at stake for S3 buckets", () => {
  test("lists a removed bucket's objects by its physical name and says S3 keeps a bucket that holds some", async () => {
    const { asked, clients: c } = clients({ "press-content": { objects: 12 } });
    const atStake = await dataAtStake(c, [removed("press-content")]);
    assert.deepEqual(asked, ["ListObjectsV2Command press-content 1000"]);
    assert.deepEqual(atStake[0]?.objects, { objects: 12, more: false, versions: false });
    assert.deepEqual(atStakeLines(atStake), [
      "  ContentBucket AWS::S3::Bucket (press-content) — holds 12 object(s), and S3 deletes only an empty bucket (BucketNotEmpty): CloudFormation leaves it in place, outside the stack on a deploy, in DELETE_FAILED on a destroy. Empty it first to delete it",
    ]);
  });

  test("a bucket of more than a page of objects is counted as at least that page", async () => {
    const { clients: c } = clients({ big: { objects: 1000, truncated: true } });
    const [line] = atStakeLines(await dataAtStake(c, [removed("big")]));
    assert.match(line ?? "", /holds 1000\+ object\(s\)/);
  });

  test("a versioned bucket with no current object still holds its old versions", async () => {
    const { asked, clients: c } = clients({ versioned: { objects: 0, versions: 3 } });
    const atStake = await dataAtStake(c, [removed("versioned")]);
    assert.deepEqual(asked, ["ListObjectsV2Command versioned 1000", "ListObjectVersionsCommand versioned 1"]);
    assert.match(
      atStakeLines(atStake)[0] ?? "",
      /holds noncurrent object versions, and S3 deletes only an empty bucket/,
    );
  });

  test("an empty bucket is deleted with nothing lost", async () => {
    const { clients: c } = clients({ empty: { objects: 0 } });
    assert.deepEqual(atStakeLines(await dataAtStake(c, [removed("empty")])), [
      "  ContentBucket AWS::S3::Bucket (empty) — empty: deleted",
    ]);
  });

  test("a bucket that cannot be listed is still reported, without a count", async () => {
    const { clients: c } = clients({});
    const atStake = await dataAtStake(c, [removed("gone")]);
    assert.equal(atStake.length, 1);
    assert.equal(atStake[0]?.objects, undefined);
    assert.match(
      atStakeLines(atStake)[0] ?? "",
      /loses the bucket, if S3 lets it go: S3 keeps a bucket that holds objects$/,
    );
  });
});

describe("a switchover and the old stack's buckets", () => {
  const cloudFormation = {
    send: async () => ({
      StackResourceSummaries: [
        {
          LogicalResourceId: "ContentBucket",
          ResourceType: "AWS::S3::Bucket",
          PhysicalResourceId: "press-content",
        },
        {
          LogicalResourceId: "RenderFunction",
          ResourceType: "AWS::Lambda::Function",
          PhysicalResourceId: "press-render",
        },
      ],
    }),
  } as unknown as CloudFormationClient;

  test("an old bucket that holds objects keeps the old stack, naming the bucket", async () => {
    const { clients: c } = clients({ "press-content": { objects: 3 } });
    await assert.rejects(
      refuseToDropBucketObjects({ cloudFormation, s3: c.s3 }, "press-prod", "press-prod-g2"),
      /bucket ContentBucket \(press-content\) of press-prod holds objects, and a switchover copies no objects to press-prod-g2; the old stack is kept/,
    );
  });

  test("an empty or already deleted old bucket lets the switchover go on", async () => {
    const empty = clients({ "press-content": { objects: 0 } });
    await refuseToDropBucketObjects({ cloudFormation, s3: empty.clients.s3 }, "press-prod", "press-prod-g2");
    const gone = clients({});
    await refuseToDropBucketObjects({ cloudFormation, s3: gone.clients.s3 }, "press-prod", "press-prod-g2");
  });
});
