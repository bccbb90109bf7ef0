/** What a queue, table or bucket holds right now, and what replacing or deleting stateful resources would lose. */
import { DescribeTableCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ResourceDiff } from "./change-diff.ts";

export interface QueueDepth {
  /** ApproximateNumberOfMessages: waiting to be received. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not yet deleted. */
  readonly inFlight: number;
  /** ApproximateNumberOfMessagesDelayed. */
  readonly delayed: number;
}

export interface DataAtStake {
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly what: string;
  /** For a queue: how many messages it holds now. */
  readonly depth?: QueueDepth;
  /**
   * For a table: DescribeTable's ItemCount, which DynamoDB refreshes about every six hours
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html).
   */
  readonly items?: number;
  /** For a bucket: what it holds, which keeps CloudFormation from deleting it. */
  readonly objects?: BucketContents;
}

/**
 * What a bucket holds, counted on one page: S3 deletes only an empty bucket, every object
 * version and delete marker included, and answers 409 BucketNotEmpty otherwise
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html).
 */
export interface BucketContents {
  /** Current objects (ListObjectsV2, at most one page of 1,000). */
  readonly objects: number;
  /** More than one page: `objects` is a lower bound. */
  readonly more: boolean;
  /** Whether noncurrent versions or delete markers are left when no current object is. */
  readonly versions: boolean;
}

/** A bucket's contents; a bucket's physical ID is its name. */
export async function bucketContents(s3: S3Client, bucket: string): Promise<BucketContents> {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
  const objects = page.KeyCount ?? page.Contents?.length ?? 0;
  const more = page.IsTruncated === true;
  if (objects > 0) return { objects, more, versions: false };
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1 })).then(
    (v) => (v.Versions?.length ?? 0) + (v.DeleteMarkers?.length ?? 0) > 0 || v.IsTruncated === true,
    // A store that lists no versions holds none that ListObjectsV2 did not count.
    () => false,
  );
  return { objects, more, versions };
}

/** Whether a bucket holds anything that keeps S3 from deleting it. */
export function bucketHoldsData(contents: BucketContents): boolean {
  return contents.objects > 0 || contents.versions;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  const attributes = result.Attributes ?? {};
  return {
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** A table's item count as DescribeTable reports it; a table's physical ID is its name. */
async function tableItemCount(dynamodb: DynamoDBClient, tableName: string): Promise<number> {
  const result = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  return result.Table?.ItemCount ?? 0;
}

/** Whether a table holds any item now: a one-item Scan, exact where ItemCount may lag hours. */
export async function tableHoldsItems(dynamodb: DynamoDBClient, tableName: string): Promise<boolean> {
  const page = await dynamodb.send(new ScanCommand({ TableName: tableName, Limit: 1, Select: "COUNT" }));
  return (page.Count ?? 0) > 0 || page.LastEvaluatedKey !== undefined;
}

export function totalMessages(depth: QueueDepth): number {
  return depth.visible + depth.inFlight + depth.delayed;
}

/**
 * The data each risky change would delete: a queue's messages (its physical ID is its URL), a
 * table's items (its physical ID is its name), a bucket's objects (its physical ID is its name;
 * S3 refuses to delete them, see BucketContents). One that cannot be read (already gone) is
 * reported without a count rather than failing the deploy.
 */
export async function dataAtStake(
  clients: { readonly sqs: SQSClient; readonly dynamodb: DynamoDBClient; readonly s3?: S3Client },
  resources: readonly Pick<ResourceDiff, "logicalId" | "type" | "physicalId" | "dataLoss">[],
): Promise<DataAtStake[]> {
  const out: DataAtStake[] = [];
  for (const resource of resources) {
    const base = {
      logicalId: resource.logicalId,
      type: resource.type,
      ...(resource.physicalId ? { physicalId: resource.physicalId } : {}),
      what: resource.dataLoss ?? "its data",
    };
    if (resource.type === "AWS::SQS::Queue" && resource.physicalId) {
      try {
        out.push({ ...base, depth: await queueDepth(clients.sqs, resource.physicalId) });
        continue;
      } catch {
        // fall through: report without a count
      }
    }
    // A global table's physical ID is its name, as a table's (the replica of the stack's region is counted).
    if (
      (resource.type === "AWS::DynamoDB::Table" || resource.type === "AWS::DynamoDB::GlobalTable") &&
      resource.physicalId
    ) {
      try {
        // ItemCount lags up to six hours: a 0 is believed only when a one-item Scan finds nothing,
        // else the table is reported as holding data without a count.
        const items = await tableItemCount(clients.dynamodb, resource.physicalId);
        if (items > 0 || !(await tableHoldsItems(clients.dynamodb, resource.physicalId))) {
          out.push({ ...base, items });
          continue;
        }
      } catch {
        // fall through: report without a count
      }
    }
    if (resource.type === "AWS::S3::Bucket" && resource.physicalId && clients.s3) {
      try {
        out.push({ ...base, objects: await bucketContents(clients.s3, resource.physicalId) });
        continue;
      } catch {
        // fall through: report without a count
      }
    }
    out.push(base);
  }
  return out;
}
