import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas";
import { join } from "node:path";
import { DevSession } from "../../src/dev/dev-session.ts";
import { clientConfig, copyAppWithSdk, rejection, statusOf } from "../support/endpoint.ts";
import { ROOT } from "../support/cli-process.ts";

describe("EventBridge through @aws-sdk/client-eventbridge (AWS JSON 1.1)", () => {
  let session: DevSession;
  let app: { dir: string; cleanup(): void };
  let events: EventBridgeClient;
  let sqs: SQSClient;
  const queueUrl = (name: string) => `${session.url}/000000000000/events-${name}`;

  before(async () => {
    app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "events"));
    session = await DevSession.start({ dir: app.dir, watch: false });
    events = new EventBridgeClient(clientConfig(session.url));
    sqs = new SQSClient(clientConfig(session.url));
  });
  after(async () => {
    events?.destroy();
    sqs?.destroy();
    await session?.close();
    app?.cleanup();
  });

  async function receive(queue: string): Promise<unknown[]> {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
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
  });

  test("PutEvents on a named bus runs that bus's rules with their input transformer", async () => {
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: "events-orders", Source: "shop", DetailType: "x", Detail: '{"total": 150}' },
          { EventBusName: "events-orders", Source: "shop", DetailType: "x", Detail: '{"total": 5}' },
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
      account: "000000000000",
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
    const app = copyAppWithSdk(join(ROOT, "test", "fixtures", "apps", "events"));
    const session = await DevSession.start({ dir: app.dir, watch: false, iam: "enforce" });
    const lambda = new LambdaClient(clientConfig(session.url));
    try {
      const call = async (fn: string) => {
        const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from("{}") }));
        return JSON.parse(Buffer.from(out.Payload ?? []).toString("utf8"));
      };
      assert.deepEqual(await call("events-publisher"), { failed: 0 });
      assert.deepEqual(await call("events-outsider"), { error: "AccessDeniedException", status: 403 });
    } finally {
      lambda.destroy();
      await session.close();
      app.cleanup();
    }
  });
});
