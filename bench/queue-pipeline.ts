import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { LocalCloud } from "../src/local/local-cloud.ts";
import { writeBenchApp } from "./bench-app.ts";
import { openCloud } from "./cloud.ts";

const MESSAGES = 20_000;
const BODY = "x".repeat(1024);
const GROUPS = 10;

/** The floor: the same durable writes and deletes straight on SQLite, with the same pragmas. */
export function rawSqlite(dir: string, messages = MESSAGES): number {
  const db = new Database(join(dir, "raw.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE m (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO m (body) VALUES (?)");
  const take = db.prepare("SELECT seq FROM m ORDER BY seq LIMIT 10");
  const remove = db.prepare("DELETE FROM m WHERE seq = ?");
  const started = performance.now();
  for (let i = 0; i < messages; i++) insert.run(BODY);
  for (;;) {
    const rows = take.all() as { seq: number }[];
    if (rows.length === 0) break;
    db.transaction(() => {
      for (const row of rows) remove.run(row.seq);
    })();
  }
  const rate = messages / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

async function pipeline(fifo: boolean): Promise<number> {
  const dir = writeBenchApp(2, { batchSize: 10, maxConcurrency: 4, fifo });
  let cloud: LocalCloud | undefined;
  try {
    cloud = await openCloud(dir);
    const queue = "q1";
    let handled = 0;
    const stop = cloud.lambda.onLog((line) => {
      if (line.text.startsWith("REPORT")) handled++;
    });
    const started = performance.now();
    // Send in slices so the pollers run while messages arrive, as they would in a real app.
    for (let i = 0; i < MESSAGES; i++) {
      cloud.sqs.sendMessage(
        queue,
        fifo
          ? { body: BODY, messageGroupId: `g${i % GROUPS}`, messageDeduplicationId: String(i) }
          : { body: BODY },
      );
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
    for (;;) {
      const stats = cloud.sqs.stats(queue);
      if (stats.visible === 0 && stats.inFlight === 0 && stats.delayed === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    stop();
    if (handled === 0) throw new Error("no invocation completed");
    return MESSAGES / seconds;
  } finally {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const dir = writeBenchApp(0);
  const raw = rawSqlite(dir);
  rmSync(dir, { recursive: true, force: true });
  const standard = await pipeline(false);
  const fifo = await pipeline(true);
  console.log(
    `${MESSAGES} messages of 1 KB, durable, send → handler completion (batch 10, max concurrency 4)`,
  );
  console.log(`baseline  raw SQLite insert + delete (WAL, NORMAL)  ${raw.toFixed(0)} msg/s`);
  console.log(
    `sluice    standard queue                            ${standard.toFixed(0)} msg/s  (${((standard / raw) * 100).toFixed(1)}% of raw; target ≥ 5000)`,
  );
  console.log(
    `sluice    FIFO queue, ${GROUPS} groups                      ${fifo.toFixed(0)} msg/s  (${((fifo / raw) * 100).toFixed(1)}% of raw)`,
  );
}
