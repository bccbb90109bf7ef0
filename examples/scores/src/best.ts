import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import { BEST_KEY, toBest } from "./game.ts";

const ddb = new DynamoDBClient({});

/** `GET /best`: the "recent best" item, read with one GetItem (the roll-up keeps it current). */
export async function handler(): Promise<APIGatewayProxyResultV2> {
  const got = await ddb.send(
    new GetItemCommand({ TableName: resources.tableName("games"), Key: BEST_KEY, ConsistentRead: true }),
  );
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ best: toBest(got.Item?.scores), version: Number(got.Item?.version?.N ?? "0") }),
  };
}
