import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { STATE_FILE } from "../../src/local/local-cloud.ts";
import { migrate, openStore } from "../../src/local/store/store.ts";
import {
  type Bundle,
  bundleAsyncHandlers,
  dropped,
  InvocationRecordSchema,
  nextJson,
  openRig,
  retries,
} from "../support/async-invoke-rig.ts";
import { tempDir } from "../support/temp.ts";

let bundle: Bundle;
before(async () => {
  bundle = await bundleAsyncHandlers();
});
after(() => bundle.cleanup());

/** The table as the first release of the async invoke queue created it (schema version 2). */
const FIRST_SCHEMA = [
  `CREATE TABLE async_invocations (
     id TEXT PRIMARY KEY, function_name TEXT NOT NULL, payload TEXT NOT NULL, request_id TEXT NOT NULL,
     attempts INTEGER NOT NULL, due_at INTEGER NOT NULL, created_at INTEGER NOT NULL)`,
  "CREATE INDEX async_invocations_due ON async_invocations (function_name, due_at)",
];

describe("asynchronous invocation settings and state", { timeout: 60_000 }, () => {
  test("upgrades a state file written before destinations existed and runs the events it holds", async () => {
    const temp = tempDir("sluice-async-upgrade-");
    const clock = new ManualClock();
    const db = openStore(join(temp.dir, STATE_FILE));
    migrate(db, "async-invoke", FIRST_SCHEMA);
    db.prepare(
      "INSERT INTO async_invocations (id, function_name, payload, request_id, attempts, due_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)",
    ).run(
      "row-1",
      "task",
      JSON.stringify({ id: "kept" }),
      "11111111-1111-4111-8111-111111111111",
      clock.now(),
      clock.now(),
    );
    db.close();

    const rig = openRig(
      bundle,
      {
        queues: { audit: {} },
        functions: { task: { handler: "handlers.task", async: { onSuccess: "audit" } } },
      },
      { stateDir: temp.dir, clock },
    );
    try {
      const success = InvocationRecordSchema.parse(await nextJson(rig, "audit"));
      assert.equal(success.requestContext.requestId, "11111111-1111-4111-8111-111111111111");
      assert.deepEqual(success.responsePayload, { done: "kept" });
      const columns = (
        rig.cloud.db.prepare("PRAGMA table_info(async_invocations)").all() as { name: string }[]
      ).map((c) => c.name);
      assert.ok(
        columns.includes("invoke_count") &&
          columns.includes("last_response") &&
          columns.includes("trace_header") &&
          columns.includes("source"),
        columns.join(),
      );
      const version = rig.cloud.db
        .prepare("SELECT version FROM schema_versions WHERE surface = 'async-invoke'")
        .get() as { version: number };
      assert.equal(version.version, 5);
    } finally {
      await rig.close();
      temp.cleanup();
    }
  });

  test("an event keeps its retries and invoke count across a restart of the local cloud", async () => {
    const temp = tempDir("sluice-async-restart-");
    const clock = new ManualClock();
    const definition = {
      queues: { failures: {} },
      functions: {
        task: { handler: "handlers.task", async: { maximumRetryAttempts: 1, onFailure: "failures" } },
      },
    };
    const first = openRig(bundle, definition, { stateDir: temp.dir, clock });
    const start = clock.now();
    const { requestId } = first.cloud.invokeAsync("task", JSON.stringify({ id: "r", fail: true }));
    await first.events.until((e) => retries(e).length === 1, "the first attempt to fail");
    await first.close();

    const second = openRig(bundle, definition, { stateDir: temp.dir, clock });
    try {
      await clock.advance(60_000);
      await second.events.until((e) => dropped(e).length === 1, "the retry to fail and exhaust the event");
      assert.equal(dropped(second.events.items)[0]?.at, start + 60_000);
      const failure = InvocationRecordSchema.parse(await nextJson(second, "failures"));
      assert.deepEqual(failure.requestContext, {
        requestId,
        functionArn: "arn:aws:lambda:us-east-1:000000000000:function:events-task:$LATEST",
        condition: "RetriesExhausted",
        approximateInvokeCount: 2,
      });
    } finally {
      await second.close();
      temp.cleanup();
    }
  });

  test("maximumRetryAttempts 2 (the default) makes three attempts, at 0, 1 and 3 minutes", async () => {
    const rig = openRig(bundle, {
      queues: { failures: {} },
      functions: { task: { handler: "handlers.task", async: { onFailure: "failures" } } },
    });
    try {
      const start = rig.clock.now();
      rig.cloud.invokeAsync("task", JSON.stringify({ id: "d", fail: true }));
      await rig.events.until((e) => retries(e).length === 1, "the first retry");
      await rig.clock.advance(60_000);
      await rig.events.until((e) => retries(e).length === 2, "the second retry");
      await rig.clock.advance(120_000);
      await rig.events.until((e) => dropped(e).length === 1, "the event to be discarded");
      assert.deepEqual(
        rig.events.items.map((e) => [e.type, e.at - start]),
        [
          ["retry-scheduled", 0],
          ["retry-scheduled", 60_000],
          ["dropped", 180_000],
        ],
      );
      const failure = InvocationRecordSchema.parse(await nextJson(rig, "failures"));
      assert.equal(failure.requestContext.approximateInvokeCount, 3);
    } finally {
      await rig.close();
    }
  });
});
