/** What a queue holds right now, and what replacing or deleting stateful resources would lose. */
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

export function totalMessages(depth: QueueDepth): number {
  return depth.visible + depth.inFlight + depth.delayed;
}

/**
 * The data each risky change would delete. A queue's physical ID is its URL; a queue that cannot
 * be read (already gone) is reported without a count rather than failing the deploy.
 */
export async function dataAtStake(
  sqs: SQSClient,
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
        out.push({ ...base, depth: await queueDepth(sqs, resource.physicalId) });
        continue;
      } catch {
        // fall through: report without a count
      }
    }
    out.push(base);
  }
  return out;
}
