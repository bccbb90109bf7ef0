/**
 * The local account's Route 53 API, without a socket: what it answers for input Route 53 rejects
 * as invalid: a HealthCheckId over 64 characters, a maxitems that is not a whole number.
 */
import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { handleRoute53, type Route53Account } from "../../src/local/cloud-host/route53-api.ts";

const CHECK = "3f1c2a4e-0000-4000-8000-000000000001";

function account(zones: readonly string[] = ["example.com"]): Route53Account {
  return {
    hasHealthCheck: (id) => id === CHECK,
    healthCheckStatus: () => undefined,
    zones: () => zones,
  };
}

async function call(path: string, zones?: readonly string[]): Promise<{ status: number; body: string }> {
  let status = 0;
  let body = "";
  const req = { method: "GET", url: path } as IncomingMessage;
  const res = {
    writeHead(code: number) {
      status = code;
      return this;
    },
    end(text: string) {
      body = text;
      return this;
    },
  } as unknown as ServerResponse;
  await handleRoute53(account(zones), req, res, "req-1");
  return { status, body };
}

const code = (body: string) => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

describe("the local Route 53 API's input validation", () => {
  test("GetHealthCheckStatus: an ID of 64 characters is looked up, one of 65 is InvalidInput (400)", async () => {
    const at64 = await call(`/2013-04-01/healthcheck/${"a".repeat(64)}/status`);
    assert.equal(at64.status, 404);
    assert.equal(code(at64.body), "NoSuchHealthCheck");
    const at65 = await call(`/2013-04-01/healthcheck/${"a".repeat(65)}/status`);
    assert.equal(at65.status, 400);
    assert.equal(code(at65.body), "InvalidInput");
    assert.match(at65.body, /healthCheckId/);
    const found = await call(`/2013-04-01/healthcheck/${CHECK}/status`);
    assert.equal(found.status, 200);
  });

  test("ListHostedZonesByName: a maxitems that is not a whole number is InvalidInput (400)", async () => {
    for (const value of ["abc", "1.5", "-1", "", "1e2", "0x10"]) {
      const response = await call(`/2013-04-01/hostedzonesbyname?dnsname=example.com&maxitems=${value}`);
      assert.equal(response.status, 400, value);
      assert.equal(code(response.body), "InvalidInput", value);
    }
    const ok = await call("/2013-04-01/hostedzonesbyname?dnsname=example.com&maxitems=1");
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<MaxItems>1<\/MaxItems>/);
  });
});
