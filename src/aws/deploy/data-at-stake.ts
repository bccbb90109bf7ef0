/** What a queue or table holds right now, and what replacing or deleting stateful resources would lose. */
import { DescribeTableCommand, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
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
 * table's items (its physical ID is its name). One that cannot be read (already gone) is
 * reported without a count rather than failing the deploy.
 */
export async function dataAtStake(
  clients: { readonly sqs: SQSClient; readonly dynamodb: DynamoDBClient },
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
    if (resource.type === "AWS::DynamoDB::Table" && resource.physicalId) {
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
    out.push(base);
  }
  return out;
}
