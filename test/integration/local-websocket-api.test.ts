/**
 * The WebSocket API over real sockets: a real `ws` client, the management API through the real
 * AWS SDK client, events checked against Powertools' schema, and API Gateway's limits on a clock
 * the test moves.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { APIGatewayProxyWebsocketEventSchema } from "@aws-lambda-powertools/parser/schemas";
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import WebSocket from "ws";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";
import { eventually } from "../support/poll.ts";

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field, as JSON.
type Json = Record<string, any>;

/**
 * Powertools' WebSocket schema describes the REQUEST authorizer's event: it requires `type`,
 * `methodArn`, `multiValueHeaders` and `queryStringParameters`, which Lambda proxy events do not
 * carry (MESSAGE events have no headers at all; see aws-lambda-go's events captured from AWS).
 * Everything else it checks is kept.
 */
const shape = APIGatewayProxyWebsocketEventSchema.shape;
const WebSocketProxyEventSchema = APIGatewayProxyWebsocketEventSchema.omit({
  type: true,
  methodArn: true,
}).extend({
  multiValueHeaders: shape.multiValueHeaders.optional(),
  queryStringParameters: shape.queryStringParameters.optional(),
  multiValueQueryStringParameters: shape.multiValueQueryStringParameters.optional(),
});

const CONFIG = `{
  name: "chat",
  queues: { wsEvents: {} },
  functions: {
    connect: { handler: "src/ws.connect", routes: "wsEvents" },
    echo: { handler: "src/ws.echo" },
    disconnect: { handler: "src/ws.disconnect", routes: "wsEvents" },
  },
  websocket: { stage: "local", routes: { $connect: "connect", $disconnect: "disconnect", $default: "echo", sendMessage: "echo" } },
}`;

const clock = new ManualClock();
let app: ApiApp;
let url: string;
let management: ApiGatewayManagementApiClient;

before(async () => {
  app = await startApiApp(CONFIG, { clock });
  url = app.servers.urls.websocket ?? "";
  management = new ApiGatewayManagementApiClient({
    endpoint: app.servers.urls.websocketCallback ?? "",
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
after(() => app.close());

interface Client {
  readonly ws: WebSocket;
  next(): Promise<Json>;
  closed: Promise<{ code: number; reason: string }>;
}

function connect(
  query = "",
  options: WebSocket.ClientOptions & { protocols?: string[] } = {},
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${query}`, options.protocols ?? [], {
      headers: { "User-Agent": "sluice-ws-test" },
      ...options,
    });
    const inbox: Json[] = [];
    const waiting: ((m: Json) => void)[] = [];
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Json;
      // Echoed events must pass the oracle; pushes and error notices are not events.
      if (message.requestContext !== undefined) WebSocketProxyEventSchema.parse(message);
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else inbox.push(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on("close", (code, reason) => done({ code, reason: reason.toString() })),
    );
    ws.once("open", () =>
      resolve({
        ws,
        closed,
        next: () => {
          const message = inbox.shift();
          return message ? Promise.resolve(message) : new Promise((done) => waiting.push(done));
        },
      }),
    );
    ws.once("error", reject);
  });
}

async function recorded(eventType: string, connectionId: string): Promise<Json> {
  const seen: Json[] = [];
  // What the app does in the background (a $disconnect), bounded so a hang fails the test.
  return eventually(
    async () => {
      const messages = await app.cloud.sqs.receiveMessages("wsEvents", { maxNumberOfMessages: 10 });
      for (const m of messages) {
        seen.push(JSON.parse(m.body).event);
        await app.cloud.sqs.deleteMessage("wsEvents", m.receiptHandle);
      }
      return seen.find(
        (e) => e.requestContext.eventType === eventType && e.requestContext.connectionId === connectionId,
      );
    },
    `${eventType} of ${connectionId}`,
    { timeoutMs: 20_000, intervalMs: 10 },
  );
}

describe("WebSocket API events", { timeout: 60_000 }, () => {
  test("run $connect with the handshake's headers and query string", async () => {
    const client = await connect("?room=blue&room=green");
    client.ws.send("hello");
    const echoed = await client.next();
    const connectionId = echoed.requestContext.connectionId as string;
    const connected = await recorded("CONNECT", connectionId);
    WebSocketProxyEventSchema.parse(connected);
    assert.equal(connected.requestContext.routeKey, "$connect");
    assert.equal(connected.requestContext.stage, "local");
    assert.equal(connected.headers["User-Agent"], "sluice-ws-test");
    assert.ok(connected.headers["Sec-WebSocket-Key"]);
    assert.deepEqual(connected.queryStringParameters, { room: "green" });
    assert.deepEqual(connected.multiValueQueryStringParameters, { room: ["blue", "green"] });
    assert.equal(connected.requestContext.identity.userAgent, "sluice-ws-test");
    assert.equal(connected.requestContext.domainName, new URL(url).host);
    assert.equal(connected.requestContext.connectedAt, clock.now());
    client.ws.close();
    await client.closed;
  });

  test("route a message by the selection expression, else to $default", async () => {
    const client = await connect();
    client.ws.send(JSON.stringify({ action: "sendMessage", text: "hi" }));
    const custom = await client.next();
    WebSocketProxyEventSchema.parse(custom);
    assert.equal(custom.requestContext.routeKey, "sendMessage");
    assert.equal(custom.requestContext.eventType, "MESSAGE");
    assert.match(custom.requestContext.messageId, /^[A-Za-z0-9+/]{15}=$/);
    assert.equal(custom.body, '{"action":"sendMessage","text":"hi"}');
    assert.equal(custom.isBase64Encoded, false);
    assert.equal(custom.headers, undefined);
    client.ws.send(JSON.stringify({ action: "unknown" }));
    assert.equal((await client.next()).requestContext.routeKey, "$default");
    client.ws.send(Buffer.from([0, 255]), { binary: true });
    const binary = await client.next();
    assert.equal(binary.isBase64Encoded, true);
    assert.equal(binary.body, "AP8=");
    client.ws.close();
    await client.closed;
  });

  test("tell the client when the route's function fails, as API Gateway words it", async () => {
    const client = await connect();
    client.ws.send("boom");
    const error = await client.next();
    assert.equal(error.message, "Internal server error");
    assert.ok(error.connectionId);
    assert.ok(error.requestId);
    client.ws.close();
    await client.closed;
  });

  test("run $disconnect with the close code and reason", async () => {
    const client = await connect();
    client.ws.send("who am i");
    const connectionId = (await client.next()).requestContext.connectionId as string;
    client.ws.close(4000, "bye");
    await client.closed;
    const event = await recorded("DISCONNECT", connectionId);
    WebSocketProxyEventSchema.parse(event);
    assert.equal(event.requestContext.routeKey, "$disconnect");
    assert.equal(event.requestContext.disconnectStatusCode, 4000);
    assert.equal(event.requestContext.disconnectReason, "bye");
  });
});

describe("$connect deciding the handshake", { timeout: 60_000 }, () => {
  const refused = (query: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(`${url}${query}`);
      ws.on("error", (error) => resolve(error.message));
      ws.on("open", () => resolve("opened"));
    });

  test("refuses the connection with the status $connect returns", async () => {
    assert.equal(await refused("?deny=401"), "Unexpected server response: 401");
    assert.equal(await refused("?deny=403"), "Unexpected server response: 403");
  });

  test("refuses with 500 when $connect fails", async () => {
    assert.equal(await refused("?crash=1"), "Unexpected server response: 500");
  });

  test("agrees to the subprotocol $connect returns", async () => {
    const client = await connect("?protocol=chat.v2", { protocols: ["chat.v1", "chat.v2"] });
    assert.equal(client.ws.protocol, "chat.v2");
    client.ws.close();
    await client.closed;
  });
});

describe("the @connections management API through the AWS SDK", { timeout: 60_000 }, () => {
  test("sends to, describes and closes a connection, which is then gone", async () => {
    const client = await connect();
    client.ws.send("id please");
    const connectionId = (await client.next()).requestContext.connectionId as string;
    await management.send(
      new PostToConnectionCommand({ ConnectionId: connectionId, Data: '{"pushed":true}' }),
    );
    assert.deepEqual(await client.next(), { pushed: true });
    const info = await management.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    assert.equal(info.ConnectedAt?.getTime(), clock.now());
    assert.equal(info.Identity?.SourceIp, "127.0.0.1");
    assert.equal(info.Identity?.UserAgent, "sluice-ws-test");
    assert.ok(info.LastActiveAt instanceof Date);
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    assert.equal((await client.closed).code, 1000);
    await assert.rejects(
      management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: "late" })),
      (error: unknown) => error instanceof GoneException && error.$metadata.httpStatusCode === 410,
    );
  });

  test("answers 410 GoneException for a connection that never existed", async () => {
    await assert.rejects(
      management.send(new GetConnectionCommand({ ConnectionId: "Nope1234567890A=" })),
      GoneException,
    );
    await assert.rejects(
      management.send(new DeleteConnectionCommand({ ConnectionId: "Nope1234567890A=" })),
      GoneException,
    );
  });
});

describe("API Gateway's WebSocket limits", { timeout: 60_000 }, () => {
  test("closes a connection idle for 10 minutes, counting messages as activity", async () => {
    const client = await connect();
    await clock.advance(9 * 60_000);
    client.ws.send("still here");
    await client.next();
    await clock.advance(9 * 60_000);
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    await clock.advance(60_000);
    assert.deepEqual(await client.closed, { code: 1001, reason: "Going away" });
  });

  test("closes any connection after 2 hours", async () => {
    const client = await connect();
    for (let minute = 9; minute < 120; minute += 9) {
      await clock.advance(9 * 60_000);
      client.ws.send("keepalive");
      await client.next();
    }
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    await clock.advance(3 * 60_000);
    assert.deepEqual(await client.closed, { code: 1001, reason: "Going away" });
  });

  test("takes a message of 32 KB frames up to 128 KB, and closes with 1009 on a bigger frame or message", async () => {
    const client = await connect();
    const part = "a".repeat(20 * 1024);
    client.ws.send(part, { fin: false });
    client.ws.send(part, { fin: true });
    assert.equal((await client.next()).body.length, 40 * 1024);
    client.ws.send("b".repeat(33 * 1024));
    assert.equal((await client.closed).code, 1009);

    const second = await connect();
    for (let i = 0; i < 5; i++) second.ws.send("c".repeat(30 * 1024), { fin: i === 4 });
    assert.equal((await second.closed).code, 1009);
  });
});
