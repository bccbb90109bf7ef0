/**
 * The local Route 53's front door: one URL for the domain that forwards each request, streamed,
 * to the region DNS picks now, says which region answered, switches when health changes on the
 * manual clock, checks Host like every local server, and answers 503 when nothing resolves.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type RecordConfig, Route53Engine, startFailoverProxy } from "../../src/local/route53/index.ts";
import { raw } from "../support/front-door.ts";
import { type StandInRegion, standInRegion } from "../support/route53-regions.ts";

const DOMAIN = "api.example.com";

describe("local Route 53 front door", () => {
  let east: StandInRegion;
  let west: StandInRegion;
  let clock: ManualClock;
  let engine: Route53Engine;
  let proxy: { url: string; port: number; close(): Promise<void> };
  let records: RecordConfig[];

  before(async () => {
    east = await standInRegion("us-east-1");
    west = await standInRegion("us-west-2");
    clock = new ManualClock();
    engine = new Route53Engine({ clock });
    engine.setHealthChecks(
      [east, west].map((r) => ({
        id: `hc-${r.region}`,
        url: `${r.url}/health`,
        intervalSeconds: 30 as const,
        failureThreshold: 3,
        region: r.region,
      })),
    );
    records = [east, west].map((r, i) => ({
      name: DOMAIN,
      setIdentifier: r.region,
      region: r.region,
      failover: i === 0 ? ("PRIMARY" as const) : ("SECONDARY" as const),
      healthCheckId: `hc-${r.region}`,
      target: { host: `${r.region}.${DOMAIN}`, url: r.url },
    }));
    engine.setRecords(records);
    engine.start();
    proxy = await startFailoverProxy({ engine, name: DOMAIN });
  });

  after(async () => {
    await proxy.close();
    await engine.close();
    await Promise.all([east.close(), west.close()]);
  });

  test("forwards method, path, query, headers and body to the primary and names the region", async () => {
    const answer = await raw(proxy.url, {
      method: "POST",
      path: "/items/a%2Fb?x=1&y=two",
      headers: { "content-type": "application/json", "x-custom": "kept", host: new URL(proxy.url).host },
      body: '{"hello":"world"}',
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers["x-sluice-region"], "us-east-1");
    assert.equal(answer.headers["x-region-server"], "us-east-1");
    const echoed = JSON.parse(answer.body);
    assert.equal(echoed.method, "POST");
    assert.equal(echoed.url, "/items/a%2Fb?x=1&y=two");
    assert.equal(echoed.headers["x-custom"], "kept");
    assert.equal(echoed.headers["content-type"], "application/json");
    assert.equal(echoed.headers.host, new URL(east.url).host);
    assert.equal(echoed.headers["x-forwarded-host"], new URL(proxy.url).host);
    assert.equal(echoed.bodyLength, 17);
  });

  test("streams a large body both ways", async () => {
    const body = randomBytes(4 * 1024 * 1024);
    const { port } = new URL(proxy.url);
    const echoed = await new Promise<{ bodyLength: number; bodySha: string }>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "PUT", path: "/upload", agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        },
      );
      req.on("error", reject);
      // Chunked, in pieces: the proxy must not need the length up front.
      for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.subarray(i, i + 256 * 1024));
      req.end();
    });
    assert.equal(echoed.bodyLength, body.length);
    assert.equal(echoed.bodySha, createHash("sha256").update(body).digest("hex"));
  });

  test("a GET with a chunked body reaches the region framed: nothing in it is read as a request", async () => {
    const { port } = new URL(proxy.url);
    const inner = `GET /health?smuggled HTTP/1.1\r\nHost: ${new URL(east.url).host}\r\n\r\n`;
    const wire =
      `GET /first HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n` +
      `${Buffer.byteLength(inner).toString(16)}\r\n${inner}\r\n0\r\n\r\n`;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write(wire));
      const chunks: Buffer[] = [];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks).toString()));
    });
    assert.match(answer, /^HTTP\/1\.1 200 /);
    const echoed = JSON.parse(
      answer.slice(answer.indexOf("\r\n\r\n") + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ""),
    );
    assert.equal(echoed.url, "/first");
    // A request smuggled to the region would show as a ping the checker never sent.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(
      east.pings.filter((p) => p.includes("smuggled")),
      [],
    );
    assert.equal(echoed.bodyLength, Buffer.byteLength(inner));
  });

  test("passes redirects back instead of following them", async () => {
    const answer = await raw(proxy.url, { path: "/redirect" });
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.location, "/elsewhere");
  });

  test("accepts the domain name as Host and refuses other names (DNS rebinding)", async () => {
    const { port } = new URL(proxy.url);
    const ok = await raw(proxy.url, { path: "/x", headers: { host: `${DOMAIN}:${port}` } });
    assert.equal(ok.status, 200);
    const refused = await raw(proxy.url, { path: "/x", headers: { host: `evil.test:${port}` } });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers["x-sluice-region"], undefined);
  });

  test("switches to the secondary when the primary fails its checks, and back", async () => {
    east.healthStatus = 503;
    await clock.advance(90_000);
    await engine.settled();
    const during = await raw(proxy.url, { path: "/hello" });
    assert.equal(during.headers["x-sluice-region"], "us-west-2");
    assert.equal(JSON.parse(during.body).region, "us-west-2");
    east.healthStatus = 200;
    await clock.advance(90_000);
    await engine.settled();
    const back = await raw(proxy.url, { path: "/hello" });
    assert.equal(back.headers["x-sluice-region"], "us-east-1");
  });

  test("a region that does not answer is a 502 naming it", async () => {
    const gone = await standInRegion("us-east-1");
    await gone.close();
    const [primary] = records;
    assert.ok(primary);
    engine.setRecords([{ ...primary, target: { host: "gone", url: gone.url } }]);
    try {
      const answer = await raw(proxy.url, { path: "/hello" });
      assert.equal(answer.status, 502);
      assert.equal(answer.headers["x-sluice-region"], "us-east-1");
    } finally {
      engine.setRecords(records);
    }
  });

  test("answers 503 with a JSON message when no record resolves", async () => {
    engine.setRecords([]);
    try {
      const answer = await raw(proxy.url, { path: "/hello" });
      assert.equal(answer.status, 503);
      assert.equal(answer.headers["content-type"], "application/json");
      assert.match(JSON.parse(answer.body).message, /api\.example\.com/);
    } finally {
      engine.setRecords(records);
    }
  });
});
