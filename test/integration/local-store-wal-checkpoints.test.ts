import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type TestContext, test } from "node:test";
import { setImmediate as nextTurn, setTimeout } from "node:timers/promises";
import { openStore } from "../../src/local/store/index.ts";
import { BACKSTOP_PAGES } from "../../src/local/store/wal-checkpoints.ts";
import { tempDir } from "../support/temp.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const WRITER = join(ROOT, "test", "fixtures", "store", "steady-writer.ts");
const PAGE = 4096;

function stateFile(t: TestContext): string {
  const temp = tempDir("sluice-store-wal-");
  t.after(() => temp.cleanup());
  return join(temp.dir, "state.sqlite");
}

// Issue 14: the local cloud checkpoints its WAL on its own schedule (the WAL's fsync on the thread
// pool first), with SQLite's automatic checkpoint left only as a backstop. The schedule must still
// checkpoint: a steady load that writes more pages than the backstop allows must keep the WAL well
// below it. The load is paced at most COMMITS_PER_MS commits a millisecond, about what `sluice dev`
// commits at its fastest (~11,000 SendMessages a second, docs/benchmarks.md): unpaced, a fast disk
// took 50,000 commits a second, 11 MB of WAL between two of the schedule's looks 25 ms apart, and
// the WAL's size measured how the timers fell rather than the schedule.
const COMMITS_PER_MS = 10;
test("under a steady load the exclusive store checkpoints on schedule, long before SQLite's backstop", async (t) => {
  const file = stateFile(t);
  const db = openStore(file, { exclusive: true });
  t.after(() => db.close());
  db.exec("CREATE TABLE rows (n INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO rows (n, body) VALUES (?, ?)");
  const body = "k".repeat(1024);
  const commits = BACKSTOP_PAGES; // more than a page each, so more pages than the backstop's
  let largestWal = 0;
  for (let n = 0; n < commits; n++) {
    insert.run(n, body);
    if (n % 100 === 0) largestWal = Math.max(largestWal, statSync(`${file}-wal`).size);
    if (n % COMMITS_PER_MS === COMMITS_PER_MS - 1) await setTimeout(1);
    else await nextTurn();
  }
  assert.ok(
    largestWal < (BACKSTOP_PAGES * PAGE * 3) / 4,
    `the WAL reached ${largestWal} bytes (the backstop lets it reach ${BACKSTOP_PAGES * PAGE})`,
  );
  assert.ok(statSync(file).size > commits * 1024, "the checkpoints copied the rows into the database file");
  assert.equal(db.prepare("SELECT COUNT(*) FROM rows").pluck().get(), commits);
});

test("a store killed under a steady load, checkpoints and all, keeps every commit that returned", async (t) => {
  const file = stateFile(t);
  const writer = spawn(process.execPath, ["--import", "tsx", WRITER, file], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  t.after(() => {
    if (writer.exitCode === null) writer.kill("SIGKILL");
  });
  let lastReturned = -1;
  // Enough commits for several scheduled checkpoints (one per few hundred rows) before the kill.
  const killAfter = 4000;
  await new Promise<void>((resolve, reject) => {
    writer.once("exit", (code) => reject(new Error(`the writer exited by itself (${code})`)));
    createInterface({ input: writer.stdout }).on("line", (line) => {
      lastReturned = Number(line);
      if (lastReturned >= killAfter && writer.exitCode === null) {
        writer.removeAllListeners("exit");
        writer.once("exit", () => resolve());
        writer.kill("SIGKILL");
      }
    });
  });
  const db = openStore(file);
  t.after(() => db.close());
  const { count, top } = db.prepare("SELECT COUNT(*) AS count, MAX(n) AS top FROM rows").get() as {
    count: number;
    top: number;
  };
  assert.ok(
    top >= lastReturned,
    `row ${lastReturned} was committed before the kill; the file holds up to ${top}`,
  );
  assert.equal(count, top + 1, "no row before the last is missing");
});
