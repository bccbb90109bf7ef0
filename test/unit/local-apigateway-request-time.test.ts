import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { traceId } from "../../src/local/apigateway/gateway-ids.ts";
import { requestTime } from "../../src/local/apigateway/request-time.ts";
import { domainPrefix } from "../../src/local/http/gateway-request.ts";

describe("per-request gateway values kept between requests", () => {
  test("formats the request time in API Gateway's format, in UTC, for every second asked", () => {
    const t = Date.UTC(2020, 2, 12, 19, 3, 58, 123);
    assert.equal(requestTime(t), "12/Mar/2020:19:03:58 +0000");
    assert.equal(requestTime(t + 876), "12/Mar/2020:19:03:58 +0000", "same second");
    assert.equal(requestTime(t + 877), "12/Mar/2020:19:03:59 +0000", "next second");
    assert.equal(requestTime(Date.UTC(2026, 0, 1, 0, 0, 0)), "01/Jan/2026:00:00:00 +0000");
    assert.equal(requestTime(t), "12/Mar/2020:19:03:58 +0000", "an earlier second again");
  });

  test("puts the current second in every trace id, and a new id each time, later than the last", () => {
    const t = Date.UTC(2026, 4, 19, 8, 0, 0, 500);
    const seconds = Math.floor(t / 1000)
      .toString(16)
      .padStart(8, "0");
    const first = traceId(t);
    const second = traceId(t + 100);
    assert.match(first, new RegExp(`^Root=1-${seconds}-[0-9a-f]{24}$`));
    assert.match(second, new RegExp(`^Root=1-${seconds}-[0-9a-f]{24}$`));
    assert.ok(first < second, `${first} before ${second}`);
    assert.match(traceId(t + 500), new RegExp(`^Root=1-${(Math.floor(t / 1000) + 1).toString(16)}-`));
    assert.match(traceId(1000), /^Root=1-00000001-/);
  });

  test("takes the domain prefix from whichever host the request names", () => {
    assert.equal(domainPrefix("127.0.0.1:3000"), "127");
    assert.equal(domainPrefix("127.0.0.1:3000"), "127");
    assert.equal(domainPrefix("abc123.execute-api.us-east-1.amazonaws.com"), "abc123");
    assert.equal(domainPrefix("localhost:4000"), "localhost");
    assert.equal(domainPrefix("[::1]:3000"), "[::1]:3000");
  });
});
