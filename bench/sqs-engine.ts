/**
 * The SQS engine alone (no Lambda): standard queue, 1 KB bodies, a real SQLite file and the system
 * clock: send → receive (10 at a time) → delete, with the single-message calls and with the batch
 * calls, beside raw SQLite doing the same durable writes in the same run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemClock } from "../src/local/clock/clock.ts";
import { createQueueService } from "../src/local/sqs/queue-service.ts";
import { openStore } from "../src/local/store/store.ts";
import { queueSpec } from "../test/support/specs.ts";
import { rawSqlite } from "./queue-pipeline.ts";

const total = 20_000;
const body = "x".repeat(1024);

async function cycle(label: string, batch: boolean, raw: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqs-throughput-"));
  const db = openStore(join(dir, "app.db"));
  const sqs = createQueueService({
    db,
    clock: new SystemClock(),
    region: "us-east-1",
    accountId: "123456789012",
  });
  sqs.ensureQueues([queueSpec("bench")]);
  const started = performance.now();
  let done = 0;
  while (done < total) {
    if (batch)
      sqs.sendMessageBatch(
        "bench",
        Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, body })),
      );
    else for (let i = 0; i < 10; i++) sqs.sendMessage("bench", { body });
    const got = await sqs.receiveMessages("bench", { maxNumberOfMessages: 10 });
    if (batch)
      sqs.deleteMessageBatch(
        "bench",
        got.map((m, i) => ({ id: `d${i}`, receiptHandle: m.receiptHandle })),
      );
    else for (const m of got) sqs.deleteMessage("bench", m.receiptHandle);
    done += got.length;
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = done / seconds;
  console.log(`sluice    ${label}: ${Math.round(rate)} msg/s (${((rate / raw) * 100).toFixed(1)}% of raw)`);
  sqs.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-sqs-raw-"));
  const raw = rawSqlite(dir, total);
  rmSync(dir, { recursive: true, force: true });
  console.log(`${total} messages of 1 KB, durable, send → receive(10) → delete, one client in-process`);
  console.log(`baseline  raw SQLite insert + delete (WAL, NORMAL): ${Math.round(raw)} msg/s`);
  await cycle("SendMessage / ReceiveMessage(10) / DeleteMessage", false, raw);
  await cycle("SendMessageBatch / ReceiveMessage(10) / DeleteMessageBatch", true, raw);
}
