/**
 * The front door of every other server `dev` starts: the HTTP API and the WebSocket API (its
 * handshakes and @connections) refuse a foreign Host, and every server closes a connection whose
 * request stops arriving, while a long poll whose request has arrived waits as long as it must.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import WebSocket from "ws";
import { DevSession } from "../../src/dev/dev-session.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, copyAppWithSdk } from "../support/endpoint.ts";
import { raw } from "../support/front-door.ts";
import { signedHeaders } from "../support/request-signing.ts";

const TIMEOUTS = { headersMs: 300, requestMs: 600 };
const CONFIG = `import { defineApp } from "sluice";
export default defineApp({
  name: "door",
  queues: { jobs: {} },
  functions: {
    echo: { handler: "src/echo.handler", http: ["GET /echo", "POST /echo"] },
    connect: { handler: "src/ws.connect" },
    messages: { handler: "src/ws.echo" },
  },
  websocket: { routes: { $connect: "connect", $default: "messages" } },
});
`;

describe("HTTP and WebSocket APIs, and request timeouts (sluice dev)", () => {
  let session: DevSession;
  let app: { dir: string; cleanup(): void };

  before(async () => {
    app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "api"));
    writeFileSync(join(app.dir, "sluice.config.ts"), CONFIG);
    session = await DevSession.start({
      dir: app.dir,
      watch: false,
      timeouts: TIMEOUTS,
      allowedHosts: ["*.devbox.test"],
    });
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  test("the HTTP API refuses a foreign Host and serves loopback and allowed names", async () => {
    const url = session.apiUrls.http ?? "";
    const port = new URL(url).port;
    const foreign = await raw(url, { path: "/echo", headers: { host: `rebind.test:${port}` } });
    assert.equal(foreign.status, 403);
    assert.deepEqual(JSON.parse(foreign.body), { message: "Forbidden" });
    for (const host of [`localhost:${port}`, `api.devbox.test:${port}`]) {
      assert.equal((await raw(url, { path: "/echo", headers: { host } })).status, 200, host);
    }
  });

  test("the WebSocket API refuses a handshake and an @connections call with a foreign Host", async () => {
    const url = session.apiUrls.websocket ?? "";
    const port = new URL(url).port;
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(url, { headers });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => {
          ws.close();
          resolve(101);
        });
        ws.on("error", reject);
      });
    assert.equal(await status({ host: `rebind.test:${port}` }), 403);
    assert.equal(await status({}), 101);
    const callback = session.apiUrls.websocketCallback ?? "";
    const manage = await raw(callback, {
      method: "POST",
      path: `${new URL(callback).pathname}/@connections/abc`,
      headers: { host: `rebind.test:${port}` },
      body: "hi",
    });
    assert.equal(manage.status, 403);
  });

  test("50 connections with complete headers and an unfinished body are closed; a long poll is not", async () => {
    const sqs = new SQSClient(clientConfig(session.url));
    const queueUrl = `${session.url}/000000000000/door-jobs`;
    try {
      const poll = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
      poll.catch(() => undefined);
      const targets = [session.url, session.url, session.apiUrls.http ?? ""];
      const closed = await Promise.all(
        Array.from({ length: 50 }, (_, i) => unfinishedRequest(targets[i % targets.length] ?? "")),
      );
      assert.equal(closed.length, 50);
      for (const answer of closed) assert.match(answer, /^HTTP\/1\.1 408/);
      // Every socket above outlived the bound; the poll's request arrived, so it still waits.
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "after the bound" }));
      const got = await poll;
      assert.equal(got.Messages?.[0]?.Body, "after the bound");
    } finally {
      sqs.destroy();
    }
  });
});

/** Sends headers and half a body, then waits (at most 10 s) for the server to close; resolves what it answered. */
function unfinishedRequest(url: string): Promise<string> {
  const { hostname, port, host } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = "";
    const limit = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${url}: the server kept an unfinished request open for 10 s`));
    }, 10_000);
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on("close", () => {
      clearTimeout(limit);
      resolve(answer);
    });
    socket.on("error", () => undefined);
    // Signed, so the endpoint reads the body (an unsigned call is refused before it is read).
    const signed = Object.entries(signedHeaders("sqs"))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(
      `POST /echo HTTP/1.1\r\nHost: ${host}\r\n${signed}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=`,
    );
  });
}
