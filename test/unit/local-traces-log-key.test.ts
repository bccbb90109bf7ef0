/**
 * The trace store hands out log keys after the highest its file holds, read at every start. That
 * read must be index lookups: a scan of the hops read the whole file (106 ms for 100,000 hops,
 * 91 MB) before `sluice dev` could answer its first request.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { HIGHEST_LOG_KEY, openTraceFile } from "../../src/local/traces/trace-schema.ts";

const dir = mkdtempSync(join(tmpdir(), "sluice-trace-log-key-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function hop(seq: number, logKey: number | null): unknown[] {
  return [seq, `trace-${seq}`, `hop-${seq}`, "invoke", "http", "function:hello", seq, 1, "ok", 1, 0, logKey];
}

test("the highest log key counts a hop that logged nothing, and is read without a scan of the hops", () => {
  const db = openTraceFile(join(dir, "traces.sqlite"));
  try {
    const insertHop = db.prepare(
      "INSERT INTO trace_hops (seq, trace_id, hop_id, kind, source, target, start_ms, duration_ms, outcome, attempt, truncated, log_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    const insertLog = db.prepare(
      "INSERT INTO trace_logs (log_key, line, request_id, function, lines) VALUES (?, 1, 'r', 'hello', '[]')",
    );
    assert.deepEqual(db.prepare(HIGHEST_LOG_KEY).get(), { key: 0 }, "an empty file");
    insertHop.run(...hop(1, 3));
    insertLog.run(3);
    insertHop.run(...hop(2, null));
    assert.deepEqual(db.prepare(HIGHEST_LOG_KEY).get(), { key: 3 });
    // A throttled invoke: a hop with a key and no log line.
    insertHop.run(...hop(3, 7));
    insertLog.run(5);
    assert.deepEqual(db.prepare(HIGHEST_LOG_KEY).get(), { key: 7 });

    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${HIGHEST_LOG_KEY}`).all() as { detail: string }[]).map(
      (row) => row.detail,
    );
    assert.ok(
      plan.some((detail) => /trace_hops USING (COVERING )?INDEX trace_hops_log_key/.test(detail)),
      plan.join("\n"),
    );
    assert.equal(
      plan.filter((detail) => /^SCAN trace_(hops|logs)/.test(detail)).length,
      0,
      `no table scan:\n${plan.join("\n")}`,
    );
  } finally {
    db.close();
  }
});
