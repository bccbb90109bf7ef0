/**
 * A WebSocket handler written as AWS's guide writes it, calling @connections at
 * `https://${domainName}/${stage}`, runs unmodified: the API's port also answers TLS with a
 * certificate from the state folder's CA, and function environments (only they) trust that CA.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect as tlsConnect } from "node:tls";
import WebSocket from "ws";
import { ApiServers } from "../../src/local/api-servers.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CA_CERT_FILE, CA_KEY_FILE, TLS_DIR } from "../../src/local/tls/index.ts";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";
import { eventually } from "../support/poll.ts";

const CONFIG = `{
  name: "sample",
  functions: { sendMessage: { handler: "src/aws-sample.handler" } },
  websocket: { stage: "production", routes: { $default: "sendMessage" } },
}`;

let app: ApiApp;
let port: number;
let caPem: string;

before(async () => {
  app = await startApiApp(CONFIG, {
    clock: new ManualClock(),
    // What `dev` gives every function: the SDK's default provider chain reads these.
    environment: { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
  });
  port = Number(new URL(app.servers.urls.websocket ?? "").port);
  app.cloud.lambda.onLog((line) => lines.push(line.text));
  caPem = readFileSync(join(app.dir, ".sluice", TLS_DIR, CA_CERT_FILE), "utf8");
});
after(() => app.close());

/** Opens a client, sends `text`, and resolves with the first message back (bounded). */
function roundTrip(url: string, text: string, options: WebSocket.ClientOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no message back on ${url} within 30 s; logs: ${logs()}`));
    }, 30_000);
    ws.once("open", () => ws.send(text));
    ws.once("message", (data) => {
      clearTimeout(timer);
      ws.close();
      resolve(data.toString());
    });
    ws.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const lines: string[] = [];
function logs(): string {
  return lines.join("");
}

/** The certificate the port presents over TLS, and whether a client trusting `ca` accepts it. */
function presented(
  ca: string | undefined,
): Promise<{ authorized: boolean; error?: string; cert: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: "127.0.0.1", port, ...(ca ? { ca } : {}), rejectUnauthorized: false },
      () => {
        const cert = new X509Certificate(socket.getPeerCertificate().raw);
        const authorizationError = socket.authorizationError;
        resolve({
          authorized: socket.authorized,
          ...(authorizationError ? { error: String(authorizationError) } : {}),
          cert,
        });
        socket.end();
      },
    );
    socket.once("error", reject);
  });
}

describe("@connections over https, as AWS's samples call it", { timeout: 90_000 }, () => {
  test("a handler that builds its callback URL from https, domainName and stage posts back to its caller unmodified", async () => {
    const reply = await roundTrip(app.servers.urls.websocket ?? "", "hello");
    assert.equal(reply, "echo: hello");
    assert.equal(app.servers.urls.websocketSecureCallback, `https://127.0.0.1:${port}/production`);
  });

  test("the port presents a certificate for 127.0.0.1 and localhost signed by the state folder's CA", async () => {
    const { authorized, cert } = await presented(caPem);
    assert.equal(authorized, true);
    const ca = new X509Certificate(caPem);
    assert.ok(cert.checkIssued(ca), "the leaf is issued by the state folder's CA");
    assert.ok(cert.verify(ca.publicKey), "the CA's key signed the leaf");
    assert.ok(cert.checkIP("127.0.0.1"));
    assert.ok(cert.checkHost("localhost"));
    assert.equal(ca.ca, true);
  });

  test("the CA's key file is readable by the user only", () => {
    const mode = statSync(join(app.dir, ".sluice", TLS_DIR, CA_KEY_FILE)).mode & 0o777;
    assert.equal(mode.toString(8), "600");
    const dirMode = statSync(join(app.dir, ".sluice", TLS_DIR)).mode & 0o777;
    assert.equal(dirMode.toString(8), "700");
  });

  test("the host process does not trust the local CA: only function environments do", async () => {
    const { authorized } = await presented(undefined);
    assert.equal(authorized, false);
  });

  test("wss:// on the same port reaches the same API for a client that trusts the CA", async () => {
    const reply = await roundTrip(`wss://localhost:${port}/production`, "over tls", { ca: caPem });
    assert.equal(reply, "echo: over tls");
  });

  test("plain http on the same port still answers @connections (the callback URL dev prints)", async () => {
    const answer = await eventually(
      async () => (await fetch(`${app.servers.urls.websocketCallback}/@connections/unknown`)).status,
      "an answer from @connections over http",
      { timeoutMs: 10_000 },
    );
    assert.equal(answer, 410);
  });
});

/** Sends headers and half a body, then resolves what the server answered when it closed (bounded). */
function unfinishedRequest(secure: boolean, targetPort: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({ host: "127.0.0.1", port: targetPort, ca: caPem })
      : netConnect(targetPort, "127.0.0.1");
    let answer = "";
    const limit = setTimeout(() => {
      socket.destroy();
      reject(new Error("the server kept an unfinished request open for 10 s"));
    }, 10_000);
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on("close", () => {
      clearTimeout(limit);
      resolve(answer);
    });
    socket.on("error", () => undefined);
    socket.write(
      `POST /production/@connections/abc HTTP/1.1\r\nHost: 127.0.0.1:${targetPort}\r\nContent-Length: 100\r\n\r\nhalf`,
    );
  });
}

describe("the shared port keeps the front door's bounds", { timeout: 60_000 }, () => {
  test("an unfinished request is closed with 408 over plain HTTP and over TLS alike", async () => {
    const servers = await ApiServers.start({
      backend: () => app.cloud,
      timeouts: { headersMs: 200, requestMs: 300 },
    });
    try {
      const target = Number(new URL(servers.urls.websocket ?? "").port);
      const [plain, secure] = await Promise.all([
        unfinishedRequest(false, target),
        unfinishedRequest(true, target),
      ]);
      assert.match(plain, /^HTTP\/1\.1 408/);
      assert.match(secure, /^HTTP\/1\.1 408/);
    } finally {
      await servers.close();
    }
  });
});
