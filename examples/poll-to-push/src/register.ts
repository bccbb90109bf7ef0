import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { resources } from "sluice/runtime";

const ddb = new DynamoDBClient({});

/** Tokens are kept for an hour (the table's TTL); an unused one has long timed out by then. */
const KEEP_SECONDS = 3600;

/**
 * OpenConnection's function (`lambda:invoke.waitForTaskToken`): stores the task token under the
 * execution's ARN, for `start` to answer the client with. What it returns is ignored: the task
 * waits for SendTaskSuccess on the token.
 */
export async function handler(event: { executionArn: string; taskToken: string }): Promise<void> {
  await ddb.send(
    new PutItemCommand({
      TableName: resources.tableName("tokens"),
      Item: {
        executionArn: { S: event.executionArn },
        taskToken: { S: event.taskToken },
        expiresAt: { N: String(Math.floor(Date.now() / 1000) + KEEP_SECONDS) },
      },
    }),
  );
}
