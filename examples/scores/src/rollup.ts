import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { resources } from "sluice/runtime";
import { BEST_KEY, type BestScore, fromBest, merge, toBest } from "./game.ts";

const ddb = new DynamoDBClient({});
/** Attempts at the read-merge-write before the batch fails (and the mapping retries it). */
const ATTEMPTS = 20;

/**
 * Rolls a batch of new games into the "recent best" item. Several batches may run at once
 * (parallelizationFactor), so the write is conditional on the version read: a writer that lost the
 * race reads again and merges again, and no score is lost.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const incoming: BestScore[] = [];
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    incoming.push({
      player: image.player?.S ?? "",
      score: Number(image.score?.N ?? "0"),
      at: Number(image.at?.N ?? "0"),
      game: (image.pk?.S ?? "").slice("game#".length),
    });
  }
  const table = resources.tableName("games");
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const got = await ddb.send(new GetItemCommand({ TableName: table, Key: BEST_KEY, ConsistentRead: true }));
    const version = Number(got.Item?.version?.N ?? "0");
    const best = merge(toBest(got.Item?.scores), incoming, Math.floor(Date.now() / 1000));
    try {
      await ddb.send(
        new PutItemCommand({
          TableName: table,
          Item: { ...BEST_KEY, scores: fromBest(best), version: { N: String(version + 1) } },
          ConditionExpression: version === 0 ? "attribute_not_exists(pk)" : "version = :v",
          ...(version === 0 ? {} : { ExpressionAttributeValues: { ":v": { N: String(version) } } }),
        }),
      );
      console.log(
        `rolled ${incoming.length} game(s) into best v${version + 1}: top ${best[0]?.score ?? "-"}`,
      );
      return { batchItemFailures: [] };
    } catch (error) {
      if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
    }
  }
  throw new Error(`the best item kept changing under ${ATTEMPTS} attempts`);
}
