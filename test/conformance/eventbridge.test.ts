/**
 * The EventBridge conformance suite: the buses and rules of test/fixtures/apps/conformance/events,
 * through @aws-sdk/client-eventbridge, on the local endpoint or on AWS.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { type ConformanceTarget, startTarget } from "../support/conformance/target.ts";
import { rejection, statusOf } from "../support/endpoint.ts";

const t: ConformanceTarget = await startTarget("events");
// IAM is always enforced on the deployed targets; locally a second `sluice dev` runs with --iam enforce.
const enforced: ConformanceTarget = t.kind === "local" ? await startTarget("events", { iam: "enforce" }) : t;
after(async () => {
  await t.close();
  if (enforced !== t) await enforced.close();
});

describe("EventBridge through @aws-sdk/client-eventbridge (AWS JSON 1.1)", () => {
  const events = new EventBridgeClient(t.clientConfig);
  const sqs = new SQSClient(t.clientConfig);
  const queueUrl = (name: string) => t.queueUrl(t.physical(name));

  after(() => {
    events.destroy();
    sqs.destroy();
  });

  async function receive(queue: string): Promise<unknown[]> {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }),
    );
    return (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? "null"));
  }

  test("PutEvents answers EventIds and per-entry errors, and matching rules deliver to queues and functions", async () => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "shop",
            DetailType: "order placed",
            Detail: JSON.stringify({ id: 1 }),
            Time: new Date("2026-03-01T10:00:00Z"),
          },
          { Source: "shop", DetailType: "order placed", Detail: "not json" },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 1);
    assert.match(out.Entries?.[0]?.EventId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(out.Entries?.[1]?.ErrorCode, "MalformedDetail");
    const [audited] = await receive("audit");
    EventBridgeSchema.parse(audited);
    assert.equal((audited as { id: string }).id, out.Entries?.[0]?.EventId);
    assert.equal((audited as { time: string }).time, "2026-03-01T10:00:00Z");
    const [seen] = (await receive("seen")) as { got: { detail: unknown } }[];
    assert.deepEqual(seen?.got.detail, { id: 1 });
    // The FIFO queue target: the event in the target's message group (SqsParameters).
    const ledger = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl("ledger.fifo"),
        WaitTimeSeconds: 20,
        MessageSystemAttributeNames: ["MessageGroupId"],
      }),
    );
    const [entry] = ledger.Messages ?? [];
    assert.equal(entry?.Attributes?.MessageGroupId, "orders");
    assert.equal(JSON.parse(entry?.Body ?? "{}").id, out.Entries?.[0]?.EventId);
  });

  test("PutEvents on a named bus runs that bus's rules with their input transformer", async () => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: t.physical("orders"), Source: "shop", DetailType: "x", Detail: '{"total": 150}' },
          { EventBusName: t.physical("orders"), Source: "shop", DetailType: "x", Detail: '{"total": 5}' },
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 0);
    assert.deepEqual(await receive("audit"), [{ big: 150 }]);
  });

  test("TestEventPattern answers Result, and InvalidEventPatternException for a bad pattern", async () => {
    const event = JSON.stringify({
      id: "1",
      "detail-type": "x",
      source: "shop",
      account: t.accountId,
      time: "2026-01-01T00:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: { state: "ok" },
    });
    const yes = await events.send(
      new TestEventPatternCommand({ EventPattern: '{"detail":{"state":[{"prefix":"o"}]}}', Event: event }),
    );
    assert.equal(yes.Result, true);
    const no = await events.send(
      new TestEventPatternCommand({ EventPattern: '{"source":["other"]}', Event: event }),
    );
    assert.equal(no.Result, false);
    const bad = await rejection(
      events.send(new TestEventPatternCommand({ EventPattern: '{"source":"shop"}', Event: event })),
    );
    assert.equal(bad.name, "InvalidEventPatternException");
    assert.equal(statusOf(bad), 400);
    assert.match(bad.message, /^Event pattern is not valid\. Reason: /);
  });
});

describe("PutEvents from a function under --iam enforce", () => {
  test("is allowed on a bus the function routes to, and AccessDeniedException otherwise", async () => {
    const t = enforced;
    const lambda = new LambdaClient(t.clientConfig);
    try {
      const call = async (fn: string) => {
        const out = await lambda.send(
          new InvokeCommand({
            FunctionName: t.physical(fn),
            Payload: Buffer.from(JSON.stringify({ bus: t.physical("orders") })),
          }),
        );
        return JSON.parse(Buffer.from(out.Payload ?? []).toString("utf8"));
      };
      assert.deepEqual(await call("publisher"), { failed: 0 });
      assert.deepEqual(await call("outsider"), { error: "AccessDeniedException", status: 403 });
    } finally {
      lambda.destroy();
    }
  });
});
