/**
 * The EventBridge Scheduler conformance suite: the schedules of
 * test/fixtures/apps/conformance/scheduler deliver to a function, a queue, a FIFO queue and a bus,
 * read back through @aws-sdk/client-sqs, on the local endpoint or on AWS. Time passes through the
 * target: dev's clock moves locally; on AWS the suite waits it out (about 70 minutes).
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type ConformanceTarget, startTarget } from "../support/conformance/target.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const t: ConformanceTarget = await startTarget("scheduler");
const sqs = new SQSClient(t.clientConfig);

/** The next message on a queue of the app, deleted once read, with the system attributes asked for. */
async function nextMessage(queue: string): Promise<Message> {
  const QueueUrl = t.queueUrl(t.physical(queue));
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MessageSystemAttributeNames: ["All"] }),
  );
  const [message] = out.Messages ?? [];
  assert.ok(message, `a message on ${queue}`);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
  return message;
}

const nextJson = async (queue: string): Promise<unknown> => JSON.parse((await nextMessage(queue)).Body ?? "");

// Bounded locally; on AWS the suite waits out about 70 minutes of real time.
describe("schedule targets", { timeout: t.kind === "local" ? 120_000 : 2 * HOUR }, () => {
  after(async () => {
    sqs.destroy();
    await t.close();
  });

  test("sends {} to a queue when the schedule has no input, text input as-is, one message group per schedule on FIFO", async () => {
    await t.elapse(10 * MINUTE);
    assert.equal((await nextMessage("inbox")).Body, "{}");
    assert.equal((await nextMessage("inbox")).Body, "{}");
    const fifo = await nextMessage("ordered.fifo");
    assert.equal(fifo.Body, "tick");
    assert.equal(fifo.Attributes?.MessageGroupId, "fifo");
  });

  test("puts an event on a bus, whose rules deliver it, with the input as its detail", async () => {
    await t.elapse(HOUR);
    const event = (await nextJson("forwarded")) as Record<string, unknown>;
    assert.equal(event.source, "sluice.scheduler");
    assert.equal(event["detail-type"], "Scheduled Event");
    assert.deepEqual(event.detail, { n: 1 });
  });

  test(
    "invokes a function asynchronously with the schedule's input (local-only: the daily cron would keep an AWS run waiting until 02:00 UTC)",
    t.localOnly(),
    async () => {
      // cron(0 2 * * ? *): the next 02:00 UTC after the target's now.
      const now = await t.now();
      const next = new Date(now);
      next.setUTCHours(2, 0, 0, 0);
      if (next.getTime() <= now) next.setUTCDate(next.getUTCDate() + 1);
      await t.elapse(next.getTime() - now + 1000);
      assert.deepEqual(await nextJson("recorded"), { report: "daily" });
    },
  );
});
