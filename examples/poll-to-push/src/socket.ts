import {
  ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const sfn = new SFNClient({});
const s3 = new S3Client({});

/** How long the result's presigned URL stays valid. */
const URL_EXPIRES_SECONDS = 15 * 60;

/** Where the execution finds the client: the OpenConnection task's output. */
interface Connection {
  readonly connectionId: string;
  /** The `@connections` endpoint, `https://${domainName}/${stage}` as AWS's samples build it. */
  readonly callbackUrl: string;
}

/** A message on the WebSocket API's `$default` route. */
interface WebSocketEvent {
  readonly requestContext: { connectionId: string; domainName: string; stage: string };
  readonly body?: string;
}

/** IssueCallback's payload (see query.asl.json). */
interface Delivery {
  readonly deliver: true;
  readonly executionArn: string;
  readonly connection: Connection;
  readonly result: { bucket: string; key: string };
}

export async function handler(event: WebSocketEvent | Delivery) {
  return "deliver" in event ? deliver(event) : accept(event);
}

/**
 * `$default`: the client sends `{"taskToken": "..."}`. SendTaskSuccess completes OpenConnection
 * with the connection as its output; the client is told either way.
 */
async function accept(event: WebSocketEvent): Promise<{ statusCode: number }> {
  const { connectionId, domainName, stage } = event.requestContext;
  const connection: Connection = { connectionId, callbackUrl: `https://${domainName}/${stage}` };
  let taskToken: unknown;
  try {
    taskToken = (JSON.parse(event.body ?? "") as { taskToken?: unknown }).taskToken;
  } catch {
    taskToken = undefined;
  }
  if (typeof taskToken !== "string" || taskToken === "") {
    await post(connection, {
      type: "error",
      message: 'send {"taskToken": "<the token POST /queries returned>"}',
    });
    return { statusCode: 400 };
  }
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(connection) }));
  } catch (error) {
    // InvalidToken, TaskDoesNotExist, TaskTimedOut: the client's token is no good (any more).
    const name = (error as { name?: string }).name ?? "Error";
    await post(connection, { type: "error", message: `the task token was refused: ${name}` });
    return { statusCode: 400 };
  }
  await post(connection, { type: "accepted" });
  return { statusCode: 200 };
}

/**
 * IssueCallback: posts a presigned URL of the result to the connection. A connection the client
 * closed answers 410 GoneException; the error is left to propagate (its name is the function
 * error's type) so the state machine's Catch can send the execution to ClientGone.
 */
async function deliver(event: Delivery): Promise<{ deliveredAt: string }> {
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: event.result.bucket, Key: event.result.key }),
    { expiresIn: URL_EXPIRES_SECONDS },
  );
  await post(event.connection, { type: "result", executionArn: event.executionArn, url });
  return { deliveredAt: new Date().toISOString() };
}

async function post(connection: Connection, message: unknown): Promise<void> {
  const management = new ApiGatewayManagementApiClient({ endpoint: connection.callbackUrl });
  try {
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connection.connectionId, Data: JSON.stringify(message) }),
    );
  } finally {
    management.destroy();
  }
}
