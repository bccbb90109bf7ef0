/**
 * A throughput check for the local SQS engine, run by hand (it is not a test and asserts nothing):
 *   node --import tsx test/unit/sqs-throughput-check.ts [messages]
 * Standard queue, 1 KB bodies, a real SQLite file and the system clock: send → receive (10 at a
 * time) → delete, first with the single-message calls, then with the batch calls.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemClock } from "../../src/local/clock.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import { openStore } from "../../src/local/store/store.ts";
import { queueSpec } from "./sqs-harness.ts";

const total = Number(process.argv[2] ?? 20_000);
const body = "x".repeat(1024);

async function run(label: string, batch: boolean): Promise<void> {
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
  console.log(`${label}: ${done} messages in ${seconds.toFixed(2)} s = ${Math.round(done / seconds)} msg/s`);
  sqs.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

await run("SendMessage / ReceiveMessage(10) / DeleteMessage", false);
await run("SendMessageBatch / ReceiveMessage(10) / DeleteMessageBatch", true);
