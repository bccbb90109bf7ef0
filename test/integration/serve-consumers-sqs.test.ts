/**
 * `sluice serve`'s SQS consumers (src/serve/consumers/) against a real `sluice dev` endpoint on a
 * manual clock: real SQS over HTTP with the SDK, the test's ServeContext invoking a handler of
 * its own. `dev` runs Lambda's mapping for `recorder` only, so its event is the one to match.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SqsSchema } from "@aws-lambda-powertools/parser/schemas";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type { AppSpec, ConsumesSpec } from "../../src/model/app-spec.ts";
import { LIMITS } from "../../src/model/limits.ts";
import { sqsConsumers } from "../../src/serve/consumers/sqs-consumers.ts";
import type {
  ServeContext,
  ServeInvokeResult,
  ServeLogEntry,
  ServeWork,
} from "../../src/serve/serve-contract.ts";
import { ROOT } from "../support/cli-process.ts";
import { clientConfig, SCRIPT_CREDENTIALS } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

// The consumers' own client takes the SDK's default chain, as on an instance: here, the environment.
process.env.AWS_ACCESS_KEY_ID = SCRIPT_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = SCRIPT_CREDENTIALS.secretAccessKey;

const APP = join(ROOT, "test", "fixtures", "apps", "serve-consumers");

interface Invocation {
  readonly fn: string;
  readonly event: { Records: Array<Record<string, unknown> & { messageId: string; body: string }> };
}

let app: { dir: string; cleanup(): void };
let session: DevSession;
let sqs: SQSClient;
const clock = new ManualClock(Date.now());
const devEvents: DevEvent[] = [];

before(async () => {
  app = copyApp(APP);
  session = await DevSession.start({ dir: app.dir, watch: false, clock, onEvent: (e) => devEvents.push(e) });
  sqs = new SQSClient(clientConfig(session.url));
});
after(async () => {
  sqs?.destroy();
  await session?.close();
  app?.cleanup();
});

/** dev's spec with `worker` consuming `queue`, as a served function's mapping. */
function serveSpec(queue: string, consumes: Partial<ConsumesSpec> = {}): AppSpec {
  const spec = session.spec;
  const worker = spec.functions.worker;
  assert.ok(worker);
  return {
    ...spec,
    functions: {
      ...spec.functions,
      worker: {
        ...worker,
        consumes: {
          queue,
          batchSize: 10,
          maximumBatchingWindowSeconds: 0,
          reportBatchItemFailures: false,
          ...consumes,
        },
      },
    },
  };
}

/** Runs `worker`'s consumer with `handler` as the function; the test stops it. */
function serve(
  spec: AppSpec,
  handler: (event: Invocation["event"]) => Promise<ServeInvokeResult> | ServeInvokeResult,
) {
  const invocations: Invocation[] = [];
  const logs: Omit<ServeLogEntry, "time">[] = [];
  const context: ServeContext = {
    spec,
    clock,
    endpointUrl: session.url,
    async invoke(fn, payload) {
      const event = JSON.parse(payload) as Invocation["event"];
      invocations.push({ fn, event });
      return handler(event);
    },
    log: (entry) => logs.push(entry),
  };
  const work: ServeWork = sqsConsumers(context, ["worker"]);
  work.start();
  return { work, invocations, logs };
}

async function queueUrl(name: string): Promise<string> {
  const out = await sqs.send(new GetQueueUrlCommand({ QueueName: `servebg-${name}` }));
  return out.QueueUrl as string;
}

async function depth(name: string): Promise<{ visible: number; inFlight: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: await queueUrl(name),
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

async function send(name: string, bodies: readonly string[]): Promise<string[]> {
  const out = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: await queueUrl(name),
      Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
    }),
  );
  assert.equal(out.Failed?.length ?? 0, 0);
  return bodies.map((_, i) => out.Successful?.find((s) => s.Id === String(i))?.MessageId as string);
}

const ok = (): ServeInvokeResult => ({ payload: "null" });

describe("sqsConsumers against a dev endpoint", () => {
  test("delivers a batch in Lambda's event shape, the event dev's mapping delivers, and deletes it", async () => {
    const message = {
      MessageBody: JSON.stringify({ order: 42 }),
      MessageAttributes: {
        kind: { DataType: "String", StringValue: "order" },
        count: { DataType: "Number", StringValue: "3" },
        blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 250]) },
      },
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl("compare"), ...message }));
    await sqs.send(new SendMessageCommand({ QueueUrl: await queueUrl("shape"), ...message }));
    const { work, invocations } = serve(serveSpec("shape"), ok);
    try {
      const served = await eventually(() => invocations[0], "the served batch");
      const fromDev = await eventually(() => {
        for (const e of devEvents) {
          if (e.type !== "log" || e.line.functionName !== "recorder") continue;
          const at = e.line.text.indexOf('{"recorded":');
          if (at >= 0)
            return (JSON.parse(e.line.text.slice(at).trim()) as { recorded: Invocation["event"] }).recorded;
        }
        return undefined;
      }, "dev's recorder event");
      assert.equal(served.fn, "worker");
      SqsSchema.parse(served.event);
      const [servedRecord] = served.event.Records;
      const [devRecord] = fromDev.Records;
      assert.ok(servedRecord && devRecord);
      // Same keys in the same order, same values, except ids, times and the queue it came from.
      const comparable = (record: Record<string, unknown>, queue: string) =>
        JSON.stringify({
          ...record,
          messageId: "-",
          receiptHandle: "-",
          attributes: {
            ...(record.attributes as Record<string, string>),
            SentTimestamp: "-",
            ApproximateFirstReceiveTimestamp: "-",
          },
          eventSourceARN: (record.eventSourceARN as string).replace(`servebg-${queue}`, "servebg-<queue>"),
        });
      assert.equal(comparable(servedRecord, "shape"), comparable(devRecord, "compare"));
      assert.match(servedRecord.eventSourceARN as string, /:sqs:[a-z0-9-]+:\d{12}:servebg-shape$/);
      assert.deepEqual(
        await eventually(async () => {
          const d = await depth("shape");
          return d.visible === 0 && d.inFlight === 0 ? d : undefined;
        }, "the batch deleted"),
        { visible: 0, inFlight: 0 },
      );
    } finally {
      await work.stop(clock.now());
    }
  });

  test("with reportBatchItemFailures, deletes all but the failed items, which come back after their visibility", async () => {
    const [, failedId] = await send("partial", ["a", "b", "c"]);
    let first = true;
    const { work, invocations, logs } = serve(serveSpec("partial", { reportBatchItemFailures: true }), () => {
      if (!first) return ok();
      first = false;
      return { payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier: failedId }] }) };
    });
    try {
      await eventually(() => logs.find((l) => l.event === "batch"), "the batch settled");
      assert.deepEqual(invocations[0]?.event.Records.map((r) => r.body).sort(), ["a", "b", "c"]);
      assert.deepEqual(await depth("partial"), { visible: 0, inFlight: 1 });
      await clock.advance(30_000);
      const again = await eventually(() => invocations[1], "the failed item redelivered");
      assert.deepEqual(
        again.event.Records.map((r) => [
          r.body,
          (r.attributes as Record<string, string>).ApproximateReceiveCount,
        ]),
        [["b", "2"]],
      );
      await eventually(async () => ((await depth("partial")).inFlight === 0 ? true : undefined), "b deleted");
    } finally {
      await work.stop(clock.now());
    }
  });

  test("a partial batch response naming an unknown id fails the whole batch", async () => {
    await send("partial", ["x", "y"]);
    const { work, logs } = serve(serveSpec("partial", { reportBatchItemFailures: true }), () => ({
      payload: JSON.stringify({ batchItemFailures: [{ itemIdentifier: "not-in-this-batch" }] }),
    }));
    try {
      const settled = await eventually(() => logs.find((l) => l.event === "batch"), "the batch settled");
      assert.equal(settled.outcome, "failed");
      assert.deepEqual(await depth("partial"), { visible: 0, inFlight: 2 });
    } finally {
      await work.stop(clock.now());
      await clock.advance(30_000);
      // Leave the queue empty for whoever comes next.
      const url = await queueUrl("partial");
      await sqs
        .send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))
        .then(async (out) => {
          const { DeleteMessageBatchCommand } = await import("@aws-sdk/client-sqs");
          if (out.Messages?.length)
            await sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl: url,
                Entries: out.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
              }),
            );
        });
    }
  });

  test("a failing batch returns after its visibility timeout and reaches the DLQ after maxReceiveCount", async () => {
    const [id] = await send("retry", ["poison"]);
    const { work, invocations } = serve(serveSpec("retry"), () => ({
      payload: JSON.stringify({ errorType: "Error", errorMessage: "boom" }),
      functionError: "Unhandled",
    }));
    try {
      await eventually(() => invocations[0], "the first attempt");
      assert.deepEqual(await depth("retry"), { visible: 0, inFlight: 1 });
      await clock.advance(30_000);
      await eventually(() => invocations[1], "the second attempt");
      await clock.advance(30_000);
      const dlqUrl = await queueUrl("retry-dlq");
      const moved = await eventually(async () => {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 0 }));
        return out.Messages?.[0];
      }, "the message in the dead-letter queue");
      assert.equal(moved.MessageId, id);
      assert.equal(invocations.length, 2, "maxReceiveCount 2: two attempts, then the DLQ");
    } finally {
      await work.stop(clock.now());
    }
  });

  test("a batch stays within Lambda's payload limit: what does not fit is released and comes in the next batch", async () => {
    // Ten messages of about 1 MB: ten in one event would be over the 6 MB of a synchronous invoke.
    const url = await queueUrl("large");
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const out = await sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: `${i}`.padEnd(1_000_000, "x") }),
      );
      ids.push(out.MessageId as string);
    }
    const { work, invocations } = serve(serveSpec("large"), ok);
    try {
      await eventually(
        () => (invocations.flatMap((i) => i.event.Records).length >= 10 ? true : undefined),
        "every message delivered",
      );
      for (const invocation of invocations)
        assert.ok(
          Buffer.byteLength(JSON.stringify(invocation.event)) <= LIMITS.lambda.syncPayload.max,
          `a batch of ${invocation.event.Records.length} is over the payload limit`,
        );
      assert.ok(invocations.length >= 2);
      assert.deepEqual(
        invocations.flatMap((i) => i.event.Records.map((r) => r.messageId)).sort(),
        [...ids].sort(),
      );
      await eventually(async () => {
        const d = await depth("large");
        return d.visible === 0 && d.inFlight === 0 ? true : undefined;
      }, "every message deleted");
    } finally {
      await work.stop(clock.now());
    }
  });

  test("stop() releases messages received but not yet handed to the function: visible again at once", async () => {
    // A batch of 20 with a minute's window: the consumer holds what it received, gathering more.
    const { work, invocations } = serve(
      serveSpec("held", { batchSize: 20, maximumBatchingWindowSeconds: 60 }),
      ok,
    );
    await send("held", ["one", "two"]);
    await eventually(
      async () => ((await depth("held")).inFlight === 2 ? true : undefined),
      "the messages received",
    );
    const stopping = work.stop(clock.now() + 25_000);
    // No poll is aborted while a batch gathers (one whose caller went away would take the released
    // messages): the gathering poll ends within a second, the idle ones within 20.
    await clock.advance(21_000);
    assert.deepEqual(await stopping, { finished: 0, released: 2, abandoned: 0 });
    assert.equal(invocations.length, 0);
    assert.deepEqual(await depth("held"), { visible: 2, inFlight: 0 });
  });

  test("stop() waits for a batch in flight until the deadline: finished before it, abandoned after", async () => {
    let release: (() => void) | undefined;
    const { work, invocations } = serve(serveSpec("slow"), async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return ok();
    });
    await send("slow", ["first"]);
    await eventually(() => invocations[0], "the first batch in flight");
    const stopping = work.stop(clock.now() + 10_000);
    await clock.advance(5_000);
    release?.();
    assert.deepEqual(await stopping, { finished: 1, released: 0, abandoned: 0 });
    await eventually(
      async () => ((await depth("slow")).inFlight === 0 ? true : undefined),
      "the finished batch deleted",
    );

    const second = serve(serveSpec("slow"), () => new Promise<ServeInvokeResult>(() => undefined));
    await send("slow", ["second"]);
    await eventually(() => second.invocations[0], "the second batch in flight");
    const late = second.work.stop(clock.now() + 10_000);
    await clock.advance(10_000);
    assert.deepEqual(await late, { finished: 0, released: 0, abandoned: 1 });
    assert.deepEqual(
      await depth("slow"),
      { visible: 0, inFlight: 1 },
      "left to come back after its visibility",
    );
  });

  test("filter criteria: messages no filter matches are deleted, never delivered", async () => {
    await send("filtered", [
      JSON.stringify({ kind: "keep" }),
      JSON.stringify({ kind: "drop" }),
      "plain text",
    ]);
    const { work, invocations } = serve(
      serveSpec("filtered", { filters: ['{"body":{"kind":["keep"]}}'] }),
      ok,
    );
    try {
      await eventually(() => invocations[0], "the filtered batch");
      assert.deepEqual(
        invocations[0]?.event.Records.map((r) => r.body),
        [JSON.stringify({ kind: "keep" })],
      );
      await eventually(async () => {
        const d = await depth("filtered");
        return d.visible === 0 && d.inFlight === 0 ? true : undefined;
      }, "every message deleted");
      assert.equal(invocations.length, 1);
    } finally {
      await work.stop(clock.now());
    }
  });

  test("a throttled invoke is tried again while the batch stays hidden, not after its visibility", async () => {
    await send("throttled", ["busy"]);
    const throttle: ServeInvokeResult = {
      payload: JSON.stringify({ errorType: "TooManyRequestsException", errorMessage: "Rate Exceeded." }),
      functionError: "Unhandled",
      throttled: true,
    };
    let calls = 0;
    const { work, invocations, logs } = serve(serveSpec("throttled"), () => (++calls <= 2 ? throttle : ok()));
    try {
      await eventually(() => invocations[0], "the first, throttled, attempt");
      // Back-off of 100 ms, then 200 ms, on the serve clock.
      await clock.advance(100);
      await eventually(() => invocations[1], "the second attempt");
      await clock.advance(200);
      await eventually(() => logs.find((l) => l.event === "batch"), "the batch settled");
      assert.equal(invocations.length, 3);
      assert.ok(
        invocations.every(
          (i) =>
            (i.event.Records[0]?.attributes as Record<string, string> | undefined)
              ?.ApproximateReceiveCount === "1",
        ),
      );
      await eventually(async () => ((await depth("throttled")).inFlight === 0 ? true : undefined), "deleted");
    } finally {
      await work.stop(clock.now());
    }
  });

  test("a function's own error named TooManyRequestsException is a function error, not a throttle", async () => {
    await send("namesake", ["ran"]);
    const { work, invocations, logs } = serve(serveSpec("namesake"), () => ({
      // The function ran and threw an error of that name: its batch must not run again at once.
      payload: JSON.stringify({ errorType: "TooManyRequestsException", errorMessage: "upstream busy" }),
      functionError: "Unhandled",
    }));
    try {
      const failed = await eventually(
        () => logs.find((l) => l.event === "batch" && l.outcome === "failed"),
        "the batch failed",
        { timeoutMs: 10_000, detail: () => JSON.stringify(logs) },
      );
      assert.match(String(failed.reason), /^function error/);
      await clock.advance(1_000);
      assert.equal(invocations.length, 1, "not invoked again before the visibility timeout");
      assert.equal(logs.filter((l) => l.event === "throttled").length, 0);
    } finally {
      await work.stop(clock.now());
    }
  });

  test("FIFO: one batch per message group at a time, each group in order", async () => {
    const url = await queueUrl("ordered.fifo");
    const sent = ["A1", "B1", "A2", "A3", "B2", "B3"];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: sent.map((body, i) => ({
          Id: String(i),
          MessageBody: body,
          MessageGroupId: body[0] as string,
        })),
      }),
    );
    const active = new Map<string, number>();
    const overlaps: string[] = [];
    const { work, invocations } = serve(serveSpec("ordered", { batchSize: 1 }), async (event) => {
      const group = event.Records[0]?.body[0] as string;
      if ((active.get(group) ?? 0) > 0) overlaps.push(group);
      active.set(group, (active.get(group) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active.set(group, (active.get(group) ?? 0) - 1);
      return ok();
    });
    try {
      await eventually(
        () => (invocations.length === sent.length ? true : undefined),
        "every message delivered",
      );
      const bodies = invocations.map((i) => i.event.Records[0]?.body as string);
      assert.deepEqual(
        bodies.filter((b) => b.startsWith("A")),
        ["A1", "A2", "A3"],
      );
      assert.deepEqual(
        bodies.filter((b) => b.startsWith("B")),
        ["B1", "B2", "B3"],
      );
      assert.deepEqual(overlaps, []);
      assert.ok(invocations.every((i) => i.event.Records.length === 1));
    } finally {
      await work.stop(clock.now());
    }
  });
});
