import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { app, run } from "../support/cli-in-process.ts";

test("synth of a multi-region app prints every template keyed <part>/<region>, in deploy order", async (t) => {
  const dir = app(t, "failover-golden");
  const result = await run(["synth", dir]);
  assert.equal(result.code, 0, result.err);
  const all = JSON.parse(result.out) as Record<string, { Resources: Record<string, { Type: string }> }>;
  assert.deepEqual(Object.keys(all), [
    "global-tables/us-east-1",
    "regional/us-east-1",
    "regional/us-west-2",
    "global/us-east-1",
  ]);
  assert.equal(
    all["global-tables/us-east-1"]?.Resources.HelloGlobalTable?.Type,
    "AWS::DynamoDB::GlobalTable",
  );
});

test("synth --out-dir writes one file per stack; --out refuses a multi-region app", async (t) => {
  const dir = app(t, "failover-golden");
  const out = join(dir, "templates");
  const written = await run(["synth", dir, "--out-dir", out]);
  assert.equal(written.code, 0, written.err);
  assert.deepEqual(readdirSync(out).sort(), [
    "failover-golden.global-tables.template.json",
    "failover-golden.global.template.json",
    "failover-golden.us-east-1.template.json",
    "failover-golden.us-west-2.template.json",
  ]);
  const refused = await run(["synth", dir, "--out", join(dir, "one.json")]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /has 4 templates .* --out-dir DIR/);
});

test("synth of a one-region app still prints its one template", async (t) => {
  const result = await run(["synth", app(t, "tables-golden")]);
  assert.equal(result.code, 0, result.err);
  assert.ok(JSON.parse(result.out).Resources.GamesTable);
});
