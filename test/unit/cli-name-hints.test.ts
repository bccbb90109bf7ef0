/**
 * What the CLI says when a name a user typed is wrong: the function or queue names that exist;
 * for a FIFO send without --group, what the queue needs. And `[dir]` wherever README's command
 * table shows it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { COMMANDS } from "../../src/cli/main.ts";
import { app, run } from "../support/cli-in-process.ts";

describe("CLI name hints", { timeout: 60_000 }, () => {
  test("an unknown function lists the app's functions, closest first", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["invoke", "gret", "--dir", dir]);
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      /no function "gret" in this app\. Did you mean "greet"\?.*Its functions: .*greet/s,
    );
    assert.match(result.err, /\(ResourceNotFoundException\)/);
  });

  test("an unknown queue lists the app's queues, for send and redrive alike", async (t) => {
    const dir = app(t, "cli");
    const send = await run(["send", "wrk", "{}", "--dir", dir]);
    assert.equal(send.code, 1);
    assert.match(
      send.err,
      /no queue "wrk" in this app\. Did you mean "work"\?.*Its queues: .*work.*ordered/s,
    );
    const redrive = await run(["redrive", "work-dlq", "--to", "wrok", "--dir", dir]);
    assert.match(redrive.err, /no queue "wrok" in this app/);
  });

  test("a FIFO send without --group says what the queue needs", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["send", "ordered", "{}", "--dir", dir]);
    assert.equal(result.code, 1);
    assert.match(
      result.err,
      /queue "ordered" is FIFO: every message needs a group .* Pass --group ID, and --dedup ID/,
    );
    assert.match(result.err, /\(MissingParameter\)/);
    const noDedup = await run(["send", "ordered", "{}", "--group", "g", "--dir", dir]);
    assert.match(noDedup.err, /pass --dedup ID/);
    const sent = await run(["send", "ordered", "{}", "--group", "g", "--dedup", "d", "--dir", dir]);
    assert.equal(sent.code, 0, sent.err);
  });
});

describe("[dir] arguments", { timeout: 60_000 }, () => {
  test("every command README's table shows with [dir] says so in its help", async () => {
    const readme = readFileSync(fileURLToPath(new URL("../../README.md", import.meta.url)), "utf8");
    const rows = [...readme.matchAll(/^\| `sluice (\w+)([^`]*)`/gm)];
    const withDir = rows.filter((row) => row[2]?.includes("[dir]")).map((row) => row[1] ?? "");
    assert.ok(withDir.length >= 10, `found ${withDir.join(", ")}`);
    for (const name of withDir) {
      const entry = COMMANDS.find((c) => c.name === name);
      assert.ok(entry, `README lists sluice ${name}`);
      const usage = (await entry.load()).help.split("\n")[0] ?? "";
      assert.match(usage, /\[dir\]/, `sluice ${name}'s usage: ${usage}`);
    }
  });

  test("a listing command takes the app's folder as its argument", async (t) => {
    const dir = app(t, "cli");
    const result = await run(["queues", dir, "--json"]);
    assert.equal(result.code, 0, result.err);
    assert.deepEqual((JSON.parse(result.out) as { name: string }[]).map((q) => q.name).sort(), [
      "ordered",
      "work",
      "work-dlq",
    ]);
  });
});
