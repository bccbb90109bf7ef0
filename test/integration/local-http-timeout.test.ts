/** The HTTP API's 30-second integration timeout, on a clock the test moves. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type ApiApp, startApiApp } from "../support/api-servers.ts";
import { HoldGate } from "../support/hold-gate.ts";

let app: ApiApp;
let gate: HoldGate;
const clock = new ManualClock();

before(async () => {
  gate = await HoldGate.open();
  app = await startApiApp(
    `{
      name: "slow",
      functions: { slow: { handler: "src/slow.handler", http: "GET /slow", timeout: "60 seconds", environment: { GATE_URL: "${gate.url}" } } },
    }`,
    { clock },
  );
});
after(async () => {
  await gate.close();
  await app.close();
});

test("answers 503 Service Unavailable once the function has run for 30 seconds", {
  timeout: 60_000,
}, async () => {
  const response = fetch(`${app.servers.urls.http}/slow`);
  await gate.arrived(1);
  await clock.advance(30_000);
  const answer = await response;
  assert.equal(answer.status, 503);
  assert.deepEqual(await answer.json(), { message: "Service Unavailable" });
});

test("answers with the function's result when it finishes just inside 30 seconds", {
  timeout: 60_000,
}, async () => {
  const response = fetch(`${app.servers.urls.http}/slow`);
  await gate.arrived(2);
  await clock.advance(29_999);
  gate.release();
  const answer = await response;
  assert.equal(answer.status, 200);
  assert.equal(await answer.text(), "finally");
});
