import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import { type Game, gameItem, parseGame } from "./game.ts";

// Plain AWS SDK code: locally AWS_ENDPOINT_URL points it at Sluice's endpoint, on AWS at DynamoDB.
const ddb = new DynamoDBClient({});

/** `POST /games` with `{"id","player","score"}`: records the finished game, answers 201. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  let game: Game | undefined;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body ?? "", "base64").toString("utf8")
      : (event.body ?? "");
    game = parseGame(JSON.parse(text));
  } catch {
    game = undefined;
  }
  if (!game) {
    return {
      statusCode: 400,
      body: JSON.stringify({ message: 'expected {"id": "...", "player": "...", "score": 123}' }),
    };
  }
  const finishedAt = Math.floor(Date.now() / 1000);
  await ddb
    .send(
      new PutItemCommand({
        TableName: resources.tableName("games"),
        Item: gameItem(game, finishedAt),
        // A game is recorded once: a retried POST does not count twice.
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    )
    .catch((error: { name?: string }) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
  return { statusCode: 201, body: JSON.stringify({ id: game.id, finishedAt }) };
}
