import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { s3NotificationTargets } from "../../src/local/s3-notification-targets.ts";
import { functionArn } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "site",
  queues: { deletions: {} },
  functions: { render: { handler: "src/render.handler" } },
});

function rig() {
  const enqueued: [string, string, string | undefined][] = [];
  const sent: [string, string][] = [];
  const events: unknown[] = [];
  const arnOf = (name: string) => `arn:aws:sqs:${spec.region}:${spec.accountId}:${name}`;
  const targets = s3NotificationTargets({
    spec,
    asyncInvoke: {
      enqueue: (name, payload, traceHeader) => {
        enqueued.push([name, payload, traceHeader]);
        return { requestId: "r" };
      },
    },
    sqs: {
      getQueue: (name) => {
        const queue = Object.values(spec.queues).find((q) => q.queueName === name || q.name === name);
        if (!queue) throw new Error("QueueDoesNotExist");
        return queue;
      },
      queueArn: arnOf,
      sendMessage: (queue, input) => {
        sent.push([queue, input.body]);
        return { messageId: "m", md5OfMessageBody: "" } as never;
      },
    },
    events: () => ({
      putServiceEvent: (event) => {
        events.push(event);
        return "id";
      },
    }),
  });
  return { targets, enqueued, sent, events, arnOf };
}

describe("where a local cloud delivers S3 notifications", () => {
  test("a function's ARN becomes an asynchronous invocation carrying the writer's trace header", () => {
    const r = rig();
    assert.equal(r.targets.invokeAsync(functionArn(spec, "render"), "{}", "Root=1-a"), true);
    assert.deepEqual(r.enqueued, [["render", "{}", "Root=1-a"]]);
  });

  test("an ARN naming no function of the app, or another account's, is not delivered", () => {
    const r = rig();
    assert.equal(
      r.targets.invokeAsync(
        functionArn(spec, "render").replace(spec.accountId, "111111111111"),
        "{}",
        undefined,
      ),
      false,
    );
    assert.equal(r.targets.invokeAsync(`${functionArn(spec, "render")}x`, "{}", undefined), false);
    assert.equal(r.enqueued.length, 0);
  });

  test("a queue's ARN becomes SendMessage with the event as the body; an unknown queue is not delivered", () => {
    const r = rig();
    const queue = spec.queues.deletions;
    assert.ok(queue);
    assert.equal(r.targets.sendMessage(r.arnOf(queue.queueName), '{"Records":[]}'), true);
    assert.deepEqual(r.sent, [[queue.queueName, '{"Records":[]}']]);
    assert.equal(r.targets.sendMessage(r.arnOf("missing"), "{}"), false);
    assert.equal(
      r.targets.sendMessage(r.arnOf(queue.queueName).replace(spec.region, "eu-west-3"), "{}"),
      false,
    );
  });
});
