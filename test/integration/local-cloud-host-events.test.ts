import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CloudHost, type CloudHostEvent } from "../../src/local/cloud-host/cloud-host.ts";
import { ROOT } from "../support/cli-process.ts";
import { type Clients, CREDENTIALS, clients, deployApp } from "../support/cloud-host.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

const REGION = "eu-west-1";
const START = Date.UTC(2026, 0, 1, 0, 0, 0);
const MINUTE = 60_000;

// One app with every time- and event-driven wiring: a custom bus whose rule feeds a queue and a
// function, a rate schedule into a queue, an hourly schedule invoking a function, and a function
// whose failed asynchronous invocations go to a queue.
const CONFIG = `import { defineApp } from "sluice";

export default defineApp({
  name: "hooks",
  queues: { audit: {}, seen: {}, ticks: {}, ran: {}, failed: {} },
  functions: {
    record: { handler: "src/handlers.record", routes: "seen" },
    hourly: { handler: "src/handlers.hourly", routes: "ran" },
    charge: { handler: "src/handlers.charge", async: { onFailure: "failed" } },
  },
  buses: { orders: {} },
  rules: {
    big: {
      bus: "orders",
      pattern: { "detail-type": ["order placed"], detail: { total: [{ numeric: [">=", 100] }] } },
      targets: [{ queue: "audit" }, { function: "record" }],
    },
  },
  schedules: {
    tick: { expression: "rate(5 minutes)", target: { queue: "ticks", input: { kind: "tick" } } },
    top: { expression: "cron(0 * * * ? *)", target: { function: "hourly", input: { kind: "hourly" } } },
  },
});
`;

const HANDLERS = `export async function record(event: unknown) {
  console.log("record got an event");
  return { got: event };
}

export async function hourly(event: unknown) {
  return { ran: event };
}

export async function charge(event: { order?: number }) {
  throw new Error(\`cannot charge order \${event.order}\`);
}
`;

describe("sluice cloud: deployed buses, rules, schedules and async destinations run on the host's clock", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-it-events-"));
  // The golden templates' EventBridge fixture: a rule on the default bus, one on a named bus.
  const fixture = copyApp(join(ROOT, "test", "fixtures", "apps", "events"));
  // The golden templates' Scheduler fixture: a cron schedule invoking a function's `live` alias, a
  // rate schedule into a FIFO queue, provisioned concurrency.
  const schedules = copyApp(join(ROOT, "test", "fixtures", "apps", "schedules-golden"));
  const clock = new ManualClock(START);
  const events: CloudHostEvent[] = [];
  let host: CloudHost;
  let c: Clients;
  let sqs: SQSClient;
  let eventbridge: EventBridgeClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  /** A queue's URL: `hooks-<name>` unless the name is already physical. */
  const queueUrl = async (name: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: name.includes("-") ? name : `hooks-${name}` })))
      .QueueUrl ?? "";

  /** Every message the queue holds now, deleted as read (no long polling: its wait is on the clock). */
  const drain = async (name: string): Promise<Message[]> => {
    const url = await queueUrl(name);
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ["SentTimestamp", "MessageGroupId", "MessageDeduplicationId"],
        }),
      );
      if (Messages.length === 0) return all;
      for (const m of Messages) {
        all.push(m);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  };

  /** Waits (wall clock, as a safety limit only) until the queue holds messages; returns them all. */
  const arrival = (name: string, what: string) =>
    eventually(async () => {
      const messages = await drain(name);
      return messages.length > 0 ? messages : undefined;
    }, what);

  /**
   * Waits until no invocation is running (nor, unless `retrying`, waiting): moving the clock while
   * a function runs would pass its clock-driven timeout, failing the invocation and retrying it.
   */
  const quiet = (retrying = false) =>
    eventually(async () => {
      const cloud = host.region(REGION).cloud;
      const waiting = !retrying && Object.values(cloud.asyncInvoke.depths()).some((n) => n > 0);
      const busy = cloud.lambda.stats().some((s) => s.busy > 0);
      return waiting || busy ? undefined : true;
    }, "no invocation running or waiting");

  const cloudEvents = (type: string) =>
    events.flatMap((e) => (e.type === "cloud" && e.event.type === type ? [e.event] : []));

  before(async () => {
    mkdirSync(join(dir, "app", "src"), { recursive: true });
    writeFileSync(join(dir, "app", "sluice.config.ts"), CONFIG);
    writeFileSync(join(dir, "app", "src", "handlers.ts"), HANDLERS);
    host = await CloudHost.start({
      stateDir: join(dir, "cloud"),
      port: 0,
      clock,
      iam: "enforce",
      onEvent: (e) => events.push(e),
    });
    c = clients(host.url, REGION);
    const options = { region: REGION, endpoint: host.url, credentials: CREDENTIALS };
    sqs = new SQSClient(options);
    eventbridge = new EventBridgeClient(options);
    lambda = new LambdaClient(options);
    logs = new CloudWatchLogsClient(options);
    await deployApp(c, join(dir, "app"), { stackName: "hooks", bucket: "sluice-artifacts" });
    await deployApp(c, fixture.dir, { stackName: "events", bucket: "sluice-artifacts" });
    await deployApp(c, schedules.dir, { stackName: "schedules-golden", bucket: "sluice-artifacts" });
    assert.equal(clock.now(), START, "deploying moves no time");
  });

  after(async () => {
    for (const client of [c?.cfn, c?.s3, sqs, eventbridge, lambda, logs]) client?.destroy();
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
    fixture.cleanup();
    schedules.cleanup();
  });

  test("PutEvents on the deployed bus delivers only the matching event, to the rule's queue and function", async () => {
    const put = await eventbridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "hooks-orders",
            Source: "shop",
            DetailType: "order placed",
            Detail: JSON.stringify({ id: "big-one", total: 150 }),
          },
          {
            EventBusName: "hooks-orders",
            Source: "shop",
            DetailType: "order placed",
            Detail: JSON.stringify({ id: "small-one", total: 5 }),
          },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const [matchingId] = (put.Entries ?? []).map((e) => e.EventId);

    const seen = await arrival("seen", "the record function's routed result in hooks-seen");
    assert.equal(seen.length, 1);
    const got = JSON.parse(seen[0]?.Body ?? "{}").got as { id: string; detail: { id: string } };
    assert.equal(got.id, matchingId, "the function got the matching event's envelope");
    assert.equal(got.detail.id, "big-one");

    const audit = await arrival("audit", "the matching event in hooks-audit");
    assert.deepEqual(
      audit.map((m) => JSON.parse(m.Body ?? "{}").detail.id),
      ["big-one"],
      "exactly the matching event reached the queue",
    );
    const line = await eventually(async () => {
      const found = await logs
        .send(
          new FilterLogEventsCommand({ logGroupName: "/aws/lambda/hooks-record", filterPattern: "record" }),
        )
        .catch(() => undefined);
      return found?.events?.find((e) => e.message?.includes("record got an event"));
    }, "the record function's log line in CloudWatch Logs");
    assert.ok(line);
    // Both targets have settled; nothing else is on its way to either.
    assert.deepEqual(await drain("audit"), []);
    assert.deepEqual(await drain("seen"), []);
    await quiet();
  });

  test("the events fixture: a default-bus rule feeds a queue and a function, a named-bus rule a transformed input", async () => {
    const put = await eventbridge.send(
      new PutEventsCommand({
        Entries: [
          { Source: "shop", DetailType: "order placed", Detail: JSON.stringify({ n: 1 }) },
          { Source: "shop", DetailType: "order shipped", Detail: JSON.stringify({ n: 2 }) },
          { EventBusName: "events-orders", Source: "shop", DetailType: "x", Detail: '{"total":250}' },
          { EventBusName: "events-orders", Source: "shop", DetailType: "x", Detail: '{"total":99}' },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const placedId = put.Entries?.[0]?.EventId;
    const seen = await arrival("events-seen", "record's routed result in events-seen");
    assert.deepEqual(
      seen.map((m) => JSON.parse(m.Body ?? "{}").got.id),
      [placedId],
      "the record function ran once, for the placed order",
    );
    await quiet();
    const audit = (await drain("events-audit")).map((m) => JSON.parse(m.Body ?? "{}"));
    assert.equal(audit.length, 2, JSON.stringify(audit));
    assert.deepEqual(
      audit.find((b) => "big" in b),
      { big: 250 },
      "the named bus's rule sent its input transformer's output",
    );
    const envelope = audit.find((b) => !("big" in b));
    assert.equal(envelope?.id, placedId, "the default bus's rule sent the event itself");
    assert.deepEqual(await drain("events-dlq"), []);
  });

  test("schedules fire once per occurrence as the clock passes their due times", async () => {
    await clock.advance(4 * MINUTE);
    // A rate() schedule without a StartDate invokes its target as soon as it is created
    // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
    assert.deepEqual(
      (await drain("ticks")).map((m) => Number(m.Attributes?.SentTimestamp)),
      [START],
      "the schedule fired when the stack created it, and nothing else is due before 00:05",
    );

    // 00:04 → 00:30 passes six rate(5 minutes) occurrences in one move of the clock.
    await clock.advance(26 * MINUTE);
    const ticks = await drain("ticks");
    assert.deepEqual(
      ticks.map((m) => Number(m.Attributes?.SentTimestamp)),
      [5, 10, 15, 20, 25, 30].map((m) => START + m * MINUTE),
      "one message per due time, sent at it",
    );
    assert.ok(ticks.every((m) => m.Body === JSON.stringify({ kind: "tick" })));

    // The hourly cron invokes its function at 01:00; the clock waits there while it runs.
    await clock.advance(30 * MINUTE);
    const first = await arrival("ran", "the hourly function's result for 01:00");
    await quiet();
    assert.deepEqual(
      first.map((m) => JSON.parse(m.Body ?? "{}")),
      [{ ran: { kind: "hourly" } }],
    );
    await clock.advance(60 * MINUTE);
    const second = await arrival("ran", "the hourly function's result for 02:00");
    assert.equal(second.length, 1);
    await quiet();
    assert.deepEqual(await drain("ran"), [], "each hour ran the function once");
    assert.deepEqual(
      cloudEvents("schedule-fired")
        .filter((e) => e.type === "schedule-fired" && e.schedule === "hooks-top")
        .map((e) => (e.type === "schedule-fired" ? e.scheduledTimeMs : 0)),
      [START + 60 * MINUTE, START + 120 * MINUTE],
    );
    assert.equal((await drain("ticks")).length, 18, "00:35 … 02:00, each once");

    // The schedules fixture over the same two hours: its FIFO queue got every 5-minute occurrence
    // once, the first when the stack created the schedule, in the group its SqsParameters name
    // (as on AWS), and its 02:00 cron invoked `nightly` (through its alias) once.
    const reports = await drain("schedules-golden-reports.fifo");
    const due = Array.from({ length: 25 }, (_, i) => START + i * 5 * MINUTE);
    assert.deepEqual(
      reports.map((m) => Number(m.Attributes?.SentTimestamp)),
      due,
    );
    assert.deepEqual(
      [...new Set(reports.map((m) => m.Attributes?.MessageGroupId))],
      ["queue-tick"],
      "the template's SqsParameters.MessageGroupId",
    );
    assert.deepEqual(
      reports.map((m) => m.Attributes?.MessageDeduplicationId),
      due.map((ms) => `queue-tick-${ms}`),
    );
    const nightly = await eventually(async () => {
      const found = await logs
        .send(
          new FilterLogEventsCommand({
            logGroupName: "/aws/lambda/schedules-golden-nightly",
            filterPattern: "REPORT",
          }),
        )
        .catch(() => undefined);
      return found?.events?.length ? found.events : undefined;
    }, "nightly's REPORT line in CloudWatch Logs");
    assert.equal(nightly.length, 1, "nightly ran once");
    assert.deepEqual(
      cloudEvents("schedule-fired").flatMap((e) =>
        e.type === "schedule-fired" && e.schedule === "schedules-golden-nightly-report"
          ? [e.scheduledTimeMs]
          : [],
      ),
      [START + 120 * MINUTE],
    );
  });

  test("a failed asynchronous invocation is retried a minute then two minutes later, then its record goes to the on-failure queue", async () => {
    const invoked = await lambda.send(
      new InvokeCommand({
        FunctionName: "hooks-charge",
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify({ order: 7 })),
      }),
    );
    assert.equal(invoked.StatusCode, 202);
    const requestId = invoked.$metadata.requestId;
    const retry = (attempt: number) =>
      eventually(async () => {
        return cloudEvents("retry-scheduled").find(
          (e) => e.type === "retry-scheduled" && e.functionName === "hooks-charge" && e.attempt === attempt,
        );
      }, `retry ${attempt} of hooks-charge`);

    const first = await retry(1);
    await quiet(true);
    assert.equal(first.type === "retry-scheduled" && first.atMs, clock.now() + MINUTE);
    await clock.advance(MINUTE);
    const second = await retry(2);
    await quiet(true);
    assert.equal(second.type === "retry-scheduled" && second.atMs, clock.now() + 2 * MINUTE);
    assert.deepEqual(await drain("failed"), [], "no record while retries remain");
    await clock.advance(2 * MINUTE);

    const [message, ...rest] = await arrival("failed", "the invocation record in hooks-failed");
    assert.deepEqual(rest, []);
    const record = JSON.parse(message?.Body ?? "{}");
    assert.deepEqual(Object.keys(record), [
      "version",
      "timestamp",
      "requestContext",
      "requestPayload",
      "responseContext",
      "responsePayload",
    ]);
    assert.equal(record.version, "1.0");
    assert.equal(record.timestamp, new Date(clock.now()).toISOString());
    assert.deepEqual(record.requestContext, {
      requestId,
      functionArn: `arn:aws:lambda:${REGION}:${host.accountId}:function:hooks-charge:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    });
    assert.deepEqual(record.requestPayload, { order: 7 });
    assert.deepEqual(record.responseContext, {
      statusCode: 200,
      executedVersion: "$LATEST",
      functionError: "Unhandled",
    });
    assert.equal(record.responsePayload.errorType, "Error");
    assert.equal(record.responsePayload.errorMessage, "cannot charge order 7");
  });

  test("nothing was denied, left out, dropped or failed along the way", () => {
    const rebuilt = events.filter((e) => e.type === "region-rebuilt");
    assert.ok(rebuilt.length >= 3, "one rebuild per deployed stack");
    assert.deepEqual(
      rebuilt.flatMap((e) => (e.type === "region-rebuilt" ? e.notes : [])),
      [],
      "every deployed resource runs",
    );
    const problems = events.filter(
      (e) =>
        e.type === "iam-denied" ||
        e.type === "endpoint-error" ||
        e.type === "region-error" ||
        (e.type === "cloud" &&
          ["schedule-failed", "schedule-missed", "event-dead-lettered", "event-dropped"].includes(
            e.event.type,
          )),
    );
    assert.deepEqual(problems, []);
  });
});
