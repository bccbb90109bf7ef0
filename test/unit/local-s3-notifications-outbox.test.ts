import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import type {
  NotificationEvent,
  NotificationTargets,
  S3BusEvent,
} from "../../src/local/s3/notifications/index.ts";
import { S3Notifications } from "../../src/local/s3/notifications/index.ts";
import type { ObjectChange } from "../../src/local/s3/object-change.ts";
import type { BucketInfo } from "../../src/local/s3/types.ts";
import { openStore } from "../../src/local/store/index.ts";

const FN = "arn:aws:lambda:us-east-1:000000000000:function:app-render";
const QUEUE = "arn:aws:sqs:us-east-1:000000000000:app-deletions";

const BUCKET: BucketInfo = {
  name: "content",
  region: "us-east-1",
  owner: "000000000000",
  createdAt: 0,
  configuration: {
    BucketName: "content",
    NotificationConfiguration: {
      EventBridgeConfiguration: { EventBridgeEnabled: true },
      LambdaConfigurations: [
        {
          Event: "s3:ObjectCreated:*",
          Function: FN,
          Filter: { S3Key: { Rules: [{ Name: "prefix", Value: "posts/" }] } },
        },
      ],
      QueueConfigurations: [{ Event: "s3:ObjectRemoved:*", Queue: QUEUE }],
    },
  },
};

function change(eventName: string, key: string, extra: Partial<ObjectChange> = {}): ObjectChange {
  return {
    bucket: "content",
    eventName,
    key,
    sequencer: "000000000000000001",
    eventTime: Date.UTC(2026, 0, 1),
    principalId: "AWS:AIDAEXAMPLE",
    sourceIp: "127.0.0.1",
    requestId: "R1",
    ...extra,
  };
}

class Targets implements NotificationTargets {
  invoked: { arn: string; payload: string; traceHeader: string | undefined }[] = [];
  sent: { arn: string; body: string }[] = [];
  events: S3BusEvent[] = [];
  failures = 0;
  functions = new Set([FN]);
  invokeAsync(arn: string, payload: string, traceHeader: string | undefined): boolean {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("the async queue is unavailable");
    }
    if (!this.functions.has(arn)) return false;
    this.invoked.push({ arn, payload, traceHeader });
    return true;
  }
  sendMessage(arn: string, body: string): boolean {
    this.sent.push({ arn, body });
    return true;
  }
  putEvent(event: S3BusEvent): void {
    this.events.push(event);
  }
}

function rig() {
  const db = openStore(":memory:");
  const clock = new ManualClock();
  const targets = new Targets();
  const seen: NotificationEvent[] = [];
  const notifications = new S3Notifications({
    db,
    clock,
    bucket: (name) => (name === BUCKET.name ? BUCKET : undefined),
    targets,
    onEvent: (event) => seen.push(event),
  });
  /** A write: the change is recorded inside its transaction, as the S3 engine does. */
  const write = (c: ObjectChange, fail = false) =>
    db.transaction(() => {
      notifications.sink.record(c);
      if (fail) throw new Error("the write failed");
    })();
  return { db, clock, targets, seen, notifications, write };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("S3 notification outbox and delivery", () => {
  test("a committed change is delivered to each matching destination and the default bus, once", async () => {
    const r = rig();
    r.notifications.start();
    r.write(change("ObjectCreated:Put", "posts/a.md", { size: 1, eTag: "e", traceHeader: "Root=1-abc" }));
    r.write(change("ObjectRemoved:Delete", "posts/a.md"));
    r.write(change("ObjectCreated:Put", "drafts/b.md", { size: 1, eTag: "e" }));
    assert.equal(r.targets.invoked.length, 0, "delivery waits for the commit");
    await settle();
    assert.deepEqual(
      r.targets.invoked.map((i) => [i.arn, JSON.parse(i.payload).Records[0].s3.object.key, i.traceHeader]),
      [[FN, "posts/a.md", "Root=1-abc"]],
    );
    assert.deepEqual(
      r.targets.sent.map((s) => [s.arn, JSON.parse(s.body).Records[0].eventName]),
      [[QUEUE, "ObjectRemoved:Delete"]],
    );
    assert.deepEqual(
      r.targets.events.map((e) => e.detailType),
      ["Object Created", "Object Deleted", "Object Created"],
    );
    assert.equal(r.notifications.pending(), 0);
    r.notifications.close();
  });

  test("a write that rolls back leaves no event", async () => {
    const r = rig();
    r.notifications.start();
    assert.throws(() => r.write(change("ObjectCreated:Put", "posts/a.md"), true));
    await settle();
    assert.equal(r.notifications.pending(), 0);
    assert.equal(r.targets.invoked.length + r.targets.events.length, 0);
  });

  test("events recorded before start (a crash's leftovers) are delivered at start", async () => {
    const r = rig();
    r.write(change("ObjectCreated:Put", "posts/a.md"));
    await settle();
    assert.equal(r.notifications.pending(), 2);
    assert.equal(r.targets.invoked.length, 0);
    r.notifications.start();
    assert.equal(r.targets.invoked.length, 1);
    assert.equal(r.notifications.pending(), 0);
  });

  test("a failed delivery stays in the outbox and is tried again on the clock", async () => {
    const r = rig();
    r.targets.failures = 1;
    r.notifications.start();
    r.write(change("ObjectCreated:Put", "posts/a.md"));
    await settle();
    assert.equal(r.targets.invoked.length, 0);
    assert.equal(r.notifications.pending(), 1);
    assert.equal(r.seen[0]?.type, "s3-notification-retry");
    await r.clock.advance(1_000);
    assert.equal(r.targets.invoked.length, 1);
    assert.equal(r.notifications.pending(), 0);
  });

  test("an event for a function that no longer exists is dropped and reported", async () => {
    const r = rig();
    r.targets.functions.clear();
    r.notifications.start();
    r.write(change("ObjectCreated:Put", "posts/a.md"));
    await settle();
    assert.equal(r.notifications.pending(), 0);
    assert.deepEqual(
      r.seen.map((e) => [e.type, e.target]),
      [["s3-notification-dropped", FN]],
    );
  });

  test("a bucket without notifications records nothing", async () => {
    const r = rig();
    r.notifications.start();
    r.db.transaction(() =>
      r.notifications.sink.record({ ...change("ObjectCreated:Put", "a"), bucket: "other" }),
    )();
    await settle();
    assert.equal(r.notifications.pending(), 0);
  });
});
