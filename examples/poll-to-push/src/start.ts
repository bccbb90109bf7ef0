import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import { parseQuery } from "./query.ts";

// Plain AWS SDK clients: locally AWS_ENDPOINT_URL points them at Sluice's endpoint.
const sfn = new SFNClient({});
const ddb = new DynamoDBClient({});

/**
 * How long `start` waits for OpenConnection's token; the task is the execution's first step, but
 * `register` may be a cold start on a busy machine. Under the HTTP API's 30-second integration
 * timeout, so the client gets this answer rather than a 503.
 */
const TOKEN_WAIT_MS = 25_000;
const TOKEN_POLL_MS = 20;

/**
 * `POST /queries` with `{"country": "France"}`: starts an execution of `query` and answers 201
 * with its ARN and the task token of its OpenConnection task, which the client sends over the
 * WebSocket API. The post's function read the token from an activity; here the machine's first
 * task hands it to `register`, which stores it under the execution's ARN.
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const query = parseQuery(event.body, event.isBase64Encoded);
  if (typeof query === "string") return json(400, { message: query });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: resources.stateMachineArn("query"),
      input: JSON.stringify(query),
    }),
  );
  if (executionArn === undefined) throw new Error("StartExecution answered without an executionArn");
  const taskToken = await tokenOf(executionArn);
  if (taskToken === undefined) {
    return json(504, { message: "the execution did not reach OpenConnection in time", executionArn });
  }
  return json(201, { executionArn, taskToken });
}

/** The token `register` stored for the execution, read until it is there (or the wait is over). */
async function tokenOf(executionArn: string): Promise<string | undefined> {
  const deadline = Date.now() + TOKEN_WAIT_MS;
  while (Date.now() < deadline) {
    const got = await ddb.send(
      new GetItemCommand({
        TableName: resources.tableName("tokens"),
        Key: { executionArn: { S: executionArn } },
        ConsistentRead: true,
      }),
    );
    const token = got.Item?.taskToken?.S;
    if (token !== undefined) return token;
    await new Promise((resolve) => setTimeout(resolve, TOKEN_POLL_MS));
  }
  return undefined;
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
