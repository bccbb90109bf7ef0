import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import Database from "better-sqlite3";
import { openStore } from "../../src/local/store/index.ts";
import { tempDir } from "../support/temp.ts";

/** A state file in a fresh folder, removed after the test's connections are closed. */
function stateFile(t: TestContext): string {
  const temp = tempDir("sluice-store-");
  t.after(() => temp.cleanup());
  return join(temp.dir, "state.sqlite");
}

// The long-running local cloud is the only connection to its state file: it locks the file once
// (no lock calls per transaction) and keeps WAL's index in its own memory, so no -shm file exists.
// https://sqlite.org/pragma.html#pragma_locking_mode, https://sqlite.org/wal.html#noshm
test("an exclusive store keeps WAL without shared memory and holds the file for itself", (t) => {
  const file = stateFile(t);
  const db = openStore(file, { exclusive: true });
  t.after(() => db.close());
  db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  assert.equal(db.pragma("locking_mode", { simple: true }), "exclusive");
  assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
  assert.equal(
    db.pragma("synchronous", { simple: true }),
    1,
    "NORMAL: a commit is in the WAL when it returns",
  );
  assert.equal(existsSync(`${file}-shm`), false);
  const other = new Database(file, { timeout: 0 });
  t.after(() => other.close());
  assert.throws(() => other.prepare("SELECT * FROM t").all(), /locked|busy/i);
});

test("an exclusive store's commits are read back after it closes, and after it is dropped unclosed", (t) => {
  const file = stateFile(t);
  const db = openStore(file, { exclusive: true });
  db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  db.close();
  const again = openStore(file, { exclusive: true });
  again.exec("INSERT INTO t VALUES (2)");
  again.close();
  const reader = openStore(file);
  t.after(() => reader.close());
  assert.deepEqual(reader.prepare("SELECT x FROM t ORDER BY x").pluck().all(), [1, 2]);
});

test("a store opened without the option shares the file with other connections", (t) => {
  const file = stateFile(t);
  const db = openStore(file);
  t.after(() => db.close());
  db.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  assert.equal(db.pragma("locking_mode", { simple: true }), "normal");
  const other = openStore(file);
  t.after(() => other.close());
  assert.deepEqual(other.prepare("SELECT x FROM t").pluck().all(), [1]);
});
