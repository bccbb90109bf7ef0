/**
 * A table's stream read back through the DynamoDB Streams API (ListStreams, DescribeStream,
 * GetShardIterator from TRIM_HORIZON, GetRecords to the end of each shard), as each item's
 * sequence of changes: DynamoDB orders a stream's records per item, not across items or shards
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import { clean } from "./normalize.ts";

/** The most GetRecords calls per shard (a guard against a shard that never ends). */
const MAX_READS = 1000;

async function shardsOf(streams: DynamoDBStreamsClient, StreamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let ExclusiveStartShardId: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn, ExclusiveStartShardId }),
    );
    shards.push(...(StreamDescription?.Shards ?? []));
    ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
  } while (ExclusiveStartShardId !== undefined);
  // A parent's records come before its children's.
  const ids = new Set(shards.map((s) => s.ShardId));
  const ordered: Shard[] = [];
  const place = (shard: Shard) => {
    if (ordered.includes(shard)) return;
    const parent = shards.find((s) => s.ShardId === shard.ParentShardId);
    if (parent && ids.has(parent.ShardId)) place(parent);
    ordered.push(shard);
  };
  for (const shard of shards) place(shard);
  return ordered;
}

/**
 * Every record of the table's streams, grouped by item key (canonical JSON), each group in stream
 * order; a record keeps what DynamoDB defines (event name, keys, images, view type, size) and
 * drops sequence numbers, times and ids.
 */
export async function recordsByItem(
  streams: DynamoDBStreamsClient,
  TableName: string,
): Promise<Record<string, unknown[]>> {
  const byItem: Record<string, unknown[]> = {};
  const { Streams = [] } = await streams.send(new ListStreamsCommand({ TableName }));
  for (const { StreamArn } of Streams) {
    if (!StreamArn) continue;
    for (const shard of await shardsOf(streams, StreamArn)) {
      let { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" }),
      );
      for (let reads = 0; ShardIterator && reads < MAX_READS; reads++) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
        for (const record of page.Records ?? []) {
          const { Keys, NewImage, OldImage, StreamViewType, SizeBytes } = record.dynamodb ?? {};
          const key = JSON.stringify(clean(Keys));
          const records = byItem[key] ?? [];
          records.push(
            clean({ eventName: record.eventName, Keys, NewImage, OldImage, StreamViewType, SizeBytes }),
          );
          byItem[key] = records;
        }
        // An open shard always hands out a next iterator: an empty page is its end for now.
        if ((page.Records ?? []).length === 0) break;
        ShardIterator = page.NextShardIterator;
      }
    }
  }
  return byItem;
}
