import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { resources } from "sluice/runtime";
import { DEFAULT_GREETING, greetingItem, HELLO_KEY, parseGreeting } from "./greeting.ts";

// Plain AWS SDK code: the client talks to its own region's replica of the global table (locally
// AWS_ENDPOINT_URL and AWS_REGION point it at that region's local cloud).
const ddb = new DynamoDBClient({});
const region = process.env.AWS_REGION ?? "an unknown region";

/**
 * `GET /hello`: the greeting stored in the table, followed by the region that served the request.
 * `PUT /hello` with a text body: stores a new greeting (in this region; replication takes it to
 * the others). `GET /health` never reaches this handler: Sluice answers it before (shallow, or deep
 * through `checkTable`).
 */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const route = `${event.requestContext.http.method} ${event.rawPath}`;
  if (route === "GET /hello") return hello();
  if (route === "PUT /hello") return store(event);
  return json(404, { message: `no route ${route}: try GET /hello or PUT /hello` });
}

/** The deep health check: the region is healthy only if its replica of the table answers. */
export async function checkTable(): Promise<boolean> {
  await ddb.send(new GetItemCommand({ TableName: resources.tableName("hello"), Key: HELLO_KEY }));
  return true;
}

async function hello(): Promise<APIGatewayProxyResultV2> {
  const got = await ddb.send(new GetItemCommand({ TableName: resources.tableName("hello"), Key: HELLO_KEY }));
  const greeting = got.Item?.Hello?.S ?? DEFAULT_GREETING;
  return json(200, { message: `${greeting}${region}`, region, writtenIn: got.Item?.WrittenIn?.S ?? null });
}

async function store(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64").toString("utf8")
    : (event.body ?? "");
  const greeting = parseGreeting(body);
  if (greeting === undefined)
    return json(400, { message: "send the greeting as the body: 1–200 characters" });
  await ddb.send(
    new PutItemCommand({ TableName: resources.tableName("hello"), Item: greetingItem(greeting, region) }),
  );
  return json(200, { stored: greeting, region });
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
