/**
 * GetQueueAttributes (the three ApproximateNumberOfMessages* counts) on an empty queue, the
 * baseline, and on queues of 100,000 messages of 1 KB (all visible; and with 1,000 in flight and
 * 1,000 delayed), on a real SQLite file. The ratio shows whether the cost depends on the depth: the
 * in-flight and delayed messages are counted from the index, so only they add to it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemClock } from "../src/local/clock/clock.ts";
import { createQueueService } from "../src/local/sqs/queue-service.ts";
import type { QueueService } from "../src/local/sqs/types.ts";
import { type Db, openStore } from "../src/local/store/store.ts";
import { queueSpec } from "../test/support/specs.ts";
import { fmt, median } from "./stats.ts";

const DEPTH = 100_000;
const IN_FLIGHT = 1_000;
const DELAYED = 1_000;
const CALLS = 500;
const NAMES = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
];
const body = "x".repeat(1024);

function timeCalls(sqs: QueueService, queue: string): number {
  for (let i = 0; i < 50; i++) sqs.getQueueAttributes(queue, NAMES);
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    sqs.getQueueAttributes(queue, NAMES);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Fills `queue` with DEPTH messages, `delayed` of them delayed and `inFlight` then received. */
async function fill(
  sqs: QueueService,
  db: Db,
  queue: string,
  inFlight: number,
  delayed: number,
): Promise<void> {
  // One transaction for the fill: the bench measures reads, not 10,000 commits.
  db.transaction(() => {
    for (let i = 0; i < (DEPTH - delayed) / 10; i++)
      sqs.sendMessageBatch(
        queue,
        Array.from({ length: 10 }, (_, j) => ({ id: `m${j}`, body })),
      );
    for (let i = 0; i < delayed; i++) sqs.sendMessage(queue, { body, delaySeconds: 900 });
  })();
  for (let got = 0; got < inFlight; )
    got += (await sqs.receiveMessages(queue, { maxNumberOfMessages: 10, visibilityTimeoutSeconds: 3600 }))
      .length;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "sluice-queue-attributes-"));
  const db = openStore(join(dir, "state.sqlite"));
  const sqs = createQueueService({
    db,
    clock: new SystemClock(),
    region: "us-east-1",
    accountId: "123456789012",
  });
  try {
    sqs.ensureQueues([queueSpec("empty"), queueSpec("deep"), queueSpec("busy")]);
    await fill(sqs, db, "deep", 0, 0);
    await fill(sqs, db, "busy", IN_FLIGHT, DELAYED);
    const empty = timeCalls(sqs, "empty");
    console.log(`GetQueueAttributes (${NAMES.length} counts), median of ${CALLS} in-process calls`);
    console.log(`baseline  empty queue: ${fmt(empty)}`);
    for (const queue of ["deep", "busy"]) {
      const counts = sqs.getQueueAttributes(queue, NAMES);
      const ms = timeCalls(sqs, queue);
      console.log(
        `sluice    ${DEPTH.toLocaleString("en")} messages (${counts.ApproximateNumberOfMessages} visible, ${counts.ApproximateNumberOfMessagesNotVisible} in flight, ${counts.ApproximateNumberOfMessagesDelayed} delayed): ${fmt(ms)} (${(ms / empty).toFixed(1)}× the empty queue)`,
      );
    }
  } finally {
    sqs.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
