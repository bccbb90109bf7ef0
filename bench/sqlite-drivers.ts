/**
 * `npm run bench -- sqlite-drivers`: node:sqlite (built into Node 22.13+ and 24, no native build)
 * against better-sqlite3 (the store's driver today) on the queue benchmark's workload: 1 KB
 * messages sent, received 10 at a time (select the ready ones, hide them, count the receive) and
 * deleted, in a WAL file with the store's pragmas (src/local/store/store.ts). The same SQL runs
 * through both drivers, so the ratio is the drivers' own cost. It decides what the store uses once
 * Node 20 support ends (docs/benchmarks.md).
 *
 * Under a Node whose ABI the installed better-sqlite3 was not built for, set
 * BETTER_SQLITE3_BINDING to a better_sqlite3.node built for it (Database's `nativeBinding`).
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { median } from "./stats.ts";

const MESSAGES = 20_000;
const ROUNDS = 3;
const BODY = "x".repeat(1024);
const VISIBILITY_MS = 30_000;

/** What the workload needs of a driver; both drivers' statements already have this shape. */
interface Driver {
  exec(sql: string): void;
  prepare(sql: string): {
    run(...params: (string | number)[]): unknown;
    all(...params: (string | number)[]): unknown[];
  };
  close(): void;
}

type Open = (file: string) => Driver;

/** The store's pragmas, in its order (src/local/store/store.ts). */
const PRAGMAS = [
  "PRAGMA busy_timeout = 5000",
  "PRAGMA auto_vacuum = INCREMENTAL",
  "PRAGMA journal_mode = WAL",
  `PRAGMA journal_size_limit = ${4 * 1024 * 1024}`,
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
];

/** The columns and index the SQS engine's receive uses (src/local/sqs/schema.ts), trimmed. */
const SCHEMA = `CREATE TABLE sqs_messages (
    seq INTEGER PRIMARY KEY,
    queue_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    receipt TEXT
  );
  CREATE INDEX sqs_messages_ready ON sqs_messages (queue_id, visible_at, seq);`;

/** Messages per second through send → receive(10) → delete; `batch` commits ten at a time. */
function workload(open: Open, batch: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqlite-drivers-"));
  const db = open(join(dir, "state.sqlite"));
  try {
    for (const pragma of PRAGMAS) db.exec(pragma);
    db.exec(SCHEMA);
    const insert = db.prepare(
      "INSERT INTO sqs_messages (queue_id, message_id, body, sent_at, visible_at) VALUES (1, ?, ?, ?, ?)",
    );
    const ready = db.prepare(
      "SELECT seq, body FROM sqs_messages WHERE queue_id = 1 AND visible_at <= ? ORDER BY visible_at, seq LIMIT 10",
    );
    const hide = db.prepare(
      "UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, receipt = ? WHERE seq = ?",
    );
    const remove = db.prepare("DELETE FROM sqs_messages WHERE seq = ? AND receipt = ?");
    const inTransaction = (work: () => void) => {
      db.exec("BEGIN IMMEDIATE");
      try {
        work();
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    };
    const send = (i: number) => {
      const now = Date.now();
      insert.run(`m-${i}`, BODY, now, now);
    };
    const started = performance.now();
    let done = 0;
    while (done < MESSAGES) {
      const sendTen = () => {
        for (let i = 0; i < 10; i++) send(done + i);
      };
      if (batch) inTransaction(sendTen);
      else sendTen();
      const received: { seq: number; receipt: string }[] = [];
      inTransaction(() => {
        const now = Date.now();
        for (const row of ready.all(now) as { seq: number }[]) {
          const receipt = `r-${row.seq}-${now}`;
          hide.run(now + VISIBILITY_MS, receipt, row.seq);
          received.push({ seq: row.seq, receipt });
        }
      });
      const deleteAll = () => {
        for (const m of received) remove.run(m.seq, m.receipt);
      };
      if (batch) inTransaction(deleteAll);
      else deleteAll();
      done += received.length;
    }
    return done / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** better-sqlite3, with BETTER_SQLITE3_BINDING when the installed binding is for another Node. */
function betterSqlite3(): { open: Open; binding: string } {
  try {
    new Database(":memory:").close();
    return { open: (file) => new Database(file), binding: "installed binding" };
  } catch (error) {
    const nativeBinding = process.env.BETTER_SQLITE3_BINDING;
    if (!nativeBinding) {
      throw new Error(
        `better-sqlite3's installed binding does not load on Node ${process.version} (${(error as Error).message.split("\n")[0]}); ` +
          "set BETTER_SQLITE3_BINDING to a better_sqlite3.node built for this Node",
      );
    }
    new Database(":memory:", { nativeBinding }).close();
    return { open: (file) => new Database(file, { nativeBinding }), binding: nativeBinding };
  }
}

/** node:sqlite's DatabaseSync, or the reason it is unavailable on this Node. */
async function nodeSqlite(): Promise<Open | string> {
  try {
    // A variable specifier: this repository's @types/node (for Node 20) has no node:sqlite.
    const specifier = "node:sqlite";
    const { DatabaseSync } = (await import(specifier)) as {
      DatabaseSync: new (file: string) => Driver;
    };
    return (file) => new DatabaseSync(file);
  } catch {
    return `node:sqlite is unavailable on Node ${process.version} (built in from Node 22.13 and in 24); measuring better-sqlite3 only`;
  }
}

function measure(label: string, open: Open, batch: boolean): number {
  const rates = Array.from({ length: ROUNDS }, () => workload(open, batch));
  const rate = median(rates);
  console.log(`  ${label.padEnd(15)} ${Math.round(rate)} msg/s (median of ${ROUNDS})`);
  return rate;
}

export async function run(): Promise<void> {
  const better = betterSqlite3();
  const builtIn = await nodeSqlite();
  console.log(
    `${MESSAGES} messages of 1 KB, send → receive(10) → delete, WAL with the store's pragmas; better-sqlite3: ${better.binding}`,
  );
  if (typeof builtIn === "string") console.log(builtIn);
  for (const [label, batch] of [
    ["one call per message (SendMessage / DeleteMessage)", false],
    ["ten per transaction (SendMessageBatch / DeleteMessageBatch)", true],
  ] as const) {
    console.log(label);
    const baseline = measure("better-sqlite3", better.open, batch);
    if (typeof builtIn === "string") continue;
    const rate = measure("node:sqlite", builtIn, batch);
    console.log(`  ratio           node:sqlite / better-sqlite3 = ${(rate / baseline).toFixed(2)}`);
  }
}
