import assert from "node:assert/strict";
import { test } from "node:test";
import { app, run } from "../support/cli-in-process.ts";

test("synth warns on stderr about a routing function without routesTo, and keeps stdout a template", async (t) => {
  const dir = app(t, "routing");
  const result = await run(["synth", dir]);
  assert.equal(result.code, 0, result.err);
  assert.ok(JSON.parse(result.out).Resources, "stdout is the template alone");
  assert.match(
    result.err,
    /warning: functions\.wide\.routes: the routing function of "wide" declares no routesTo, so its role grants sqs:SendMessage on every queue/,
  );
  assert.doesNotMatch(result.err, /functions\.narrow/);
});
