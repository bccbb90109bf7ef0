import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { resources } from "sluice/runtime";
import type { Job } from "./jobs.ts";
import { servedBy } from "./served-by.ts";

const ddb = new DynamoDBClient({});

/**
 * Consumes the `jobs` queue, on Lambda or on the fleet (whichever receives the message first):
 * stores each job's result, and who processed it, in the `results` table. A record that fails
 * is reported alone (partial batch response), so the rest of the batch is not retried.
 */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      const job = JSON.parse(record.body) as Job;
      await ddb.send(
        new PutItemCommand({
          TableName: resources.tableName("results"),
          Item: {
            id: { S: job.id },
            result: { S: job.text.toUpperCase() },
            acceptedBy: { S: job.acceptedBy },
            processedBy: { S: servedBy() },
          },
        }),
      );
    } catch (error) {
      console.error(`job ${record.messageId} failed: ${(error as Error).message}`);
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
