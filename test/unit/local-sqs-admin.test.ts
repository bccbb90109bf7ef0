import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { queueSpec } from "../support/specs.ts";
import { ACCOUNT, openHarness, REGION, thrown } from "../support/sqs-rig.ts";

const arn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

describe("queue attributes", () => {
  test("All gives SQS's attributes for a standard queue, without the FIFO-only ones", (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("jobs", { visibilityTimeoutSeconds: 45 })]);
    sqs.sendMessage("jobs", { body: "a" });
    sqs.sendMessage("jobs", { body: "b", delaySeconds: 60 });
    const attributes = sqs.getQueueAttributes("jobs", ["All"]);
    assert.equal(attributes.VisibilityTimeout, "45");
    assert.equal(attributes.ApproximateNumberOfMessages, "1");
    assert.equal(attributes.ApproximateNumberOfMessagesDelayed, "1");
    assert.equal(attributes.QueueArn, arn("app-jobs"));
    assert.equal(attributes.CreatedTimestamp, String(Math.floor(clock.now() / 1000)));
    assert.equal(attributes.FifoQueue, undefined);
    assert.equal(thrown(() => sqs.getQueueAttributes("jobs", ["FifoQueue"])).code, "InvalidAttributeName");
    assert.equal(thrown(() => sqs.getQueueAttributes("jobs", ["Nope"])).code, "InvalidAttributeName");
  });

  test("a FIFO queue reports FifoQueue and its deduplication settings; RedrivePolicy names the DLQ by ARN", (t) => {
    const { sqs } = openHarness(t, [
      queueSpec("dlq", { fifo: true }),
      queueSpec("orders", {
        fifo: true,
        contentBasedDeduplication: true,
        deadLetter: { queue: "dlq", maxReceiveCount: 4 },
      }),
    ]);
    const attributes = sqs.getQueueAttributes("orders", [
      "FifoQueue",
      "ContentBasedDeduplication",
      "RedrivePolicy",
    ]);
    assert.deepEqual(attributes, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("app-dlq.fifo"), maxReceiveCount: 4 }),
      FifoQueue: "true",
      ContentBasedDeduplication: "true",
    });
  });

  test("SetQueueAttributes changes the queue and keeps its messages; bad values are InvalidAttributeValue", async (t) => {
    const { sqs, clock } = openHarness(t, [queueSpec("jobs"), queueSpec("dead")]);
    sqs.sendMessage("jobs", { body: "kept" });
    await clock.advance(5000);
    sqs.setQueueAttributes("jobs", {
      VisibilityTimeout: "5",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("app-dead"), maxReceiveCount: "2" }),
      Policy: '{"Version":"2012-10-17"}',
    });
    const attributes = sqs.getQueueAttributes("jobs", ["All"]);
    assert.equal(attributes.VisibilityTimeout, "5");
    assert.equal(attributes.Policy, '{"Version":"2012-10-17"}');
    assert.equal(JSON.parse(attributes.RedrivePolicy ?? "{}").maxReceiveCount, 2);
    assert.notEqual(attributes.LastModifiedTimestamp, attributes.CreatedTimestamp);
    assert.equal((await sqs.receiveMessages("jobs"))[0]?.body, "kept");
    assert.equal(
      thrown(() => sqs.setQueueAttributes("jobs", { VisibilityTimeout: "43201" })).code,
      "InvalidAttributeValue",
    );
    assert.equal(
      thrown(() => sqs.setQueueAttributes("jobs", { QueueArn: "x" })).code,
      "InvalidAttributeName",
    );
    assert.equal(
      thrown(() => sqs.setQueueAttributes("jobs", { RedrivePolicy: "{" })).code,
      "InvalidAttributeValue",
    );
    sqs.setQueueAttributes("jobs", { RedrivePolicy: "" });
    assert.equal(sqs.getQueueAttributes("jobs", ["All"]).RedrivePolicy, undefined);
  });
});

describe("CreateQueue through the API", () => {
  test("creates with SQS's defaults; the same name and attributes return the same queue; others are QueueNameExists", (t) => {
    const { sqs } = openHarness(t, []);
    const created = sqs.createQueueWithAttributes("made", { DelaySeconds: "5" });
    assert.equal(created.queueName, "made");
    assert.equal(sqs.getQueueAttributes("made", ["VisibilityTimeout"]).VisibilityTimeout, "30");
    assert.equal(sqs.createQueueWithAttributes("made", { DelaySeconds: "5" }).queueName, "made");
    assert.equal(
      sqs.createQueueWithAttributes("made").queueName,
      "made",
      "attributes not given are not compared",
    );
    assert.equal(
      thrown(() => sqs.createQueueWithAttributes("made", { DelaySeconds: "6" })).code,
      "QueueNameExists",
    );
  });

  test("a FIFO queue needs FifoQueue=true and a .fifo name; names are checked", (t) => {
    const { sqs } = openHarness(t, []);
    assert.equal(sqs.createQueueWithAttributes("f.fifo", { FifoQueue: "true" }).fifo, true);
    assert.equal(thrown(() => sqs.createQueueWithAttributes("g.fifo")).code, "InvalidParameterValue");
    assert.equal(
      thrown(() => sqs.createQueueWithAttributes("g", { FifoQueue: "true" })).code,
      "InvalidParameterValue",
    );
    assert.equal(thrown(() => sqs.createQueueWithAttributes("bad name")).code, "InvalidParameterValue");
    assert.equal(thrown(() => sqs.createQueueWithAttributes("")).code, "MissingParameter");
    assert.equal(
      thrown(() => sqs.createQueueWithAttributes("h", { Colour: "red" })).code,
      "InvalidAttributeName",
    );
  });

  test("tags are set at creation, added, listed and removed; deleting the queue drops them", async (t) => {
    const { sqs, clock } = openHarness(t, []);
    sqs.createQueueWithAttributes("tagged", {}, { team: "a" });
    sqs.tagQueue("tagged", { env: "dev", team: "b" });
    assert.deepEqual(sqs.listQueueTags("tagged"), { env: "dev", team: "b" });
    sqs.untagQueue("tagged", ["team"]);
    assert.deepEqual(sqs.listQueueTags("tagged"), { env: "dev" });
    sqs.deleteQueue("tagged");
    await clock.advance(61_000);
    sqs.createQueueWithAttributes("tagged");
    assert.deepEqual(sqs.listQueueTags("tagged"), {});
  });
});

describe("dead-letter queue redrive", () => {
  const specs = [
    queueSpec("dead"),
    queueSpec("jobs", { deadLetter: { queue: "dead", maxReceiveCount: 1 } }),
    queueSpec("other"),
  ];

  test("ListDeadLetterSourceQueues names the queues whose redrive policy targets a queue", (t) => {
    const { sqs } = openHarness(t, specs);
    assert.deepEqual(
      sqs.deadLetterSourceQueues("dead").map((q) => q.queueName),
      ["app-jobs"],
    );
    assert.deepEqual(sqs.deadLetterSourceQueues("other"), []);
  });

  test("StartMessageMoveTask moves dead letters back to their source and is listed as COMPLETED", async (t) => {
    const { sqs, clock } = openHarness(t, specs);
    sqs.sendMessage("jobs", { body: "poison" });
    await sqs.receiveMessages("jobs", { visibilityTimeoutSeconds: 0 });
    await sqs.receiveMessages("jobs");
    assert.equal(sqs.stats("dead").visible, 1);
    const { taskHandle } = sqs.startMessageMoveTask({ sourceArn: arn("app-dead") });
    assert.ok(taskHandle.length > 0);
    assert.equal(sqs.stats("jobs").visible, 1);
    await clock.advance(1000);
    sqs.startMessageMoveTask({
      sourceArn: arn("app-dead"),
      destinationArn: arn("app-other"),
      maxNumberOfMessagesPerSecond: 10,
    });
    const tasks = sqs.listMessageMoveTasks(arn("app-dead"), 10);
    assert.deepEqual(
      tasks.map((task) => [task.status, task.approximateNumberOfMessagesMoved, task.destinationArn ?? null]),
      [
        ["COMPLETED", 0, arn("app-other")],
        ["COMPLETED", 1, null],
      ],
    );
    assert.equal(sqs.listMessageMoveTasks(arn("app-dead")).length, 1, "MaxResults defaults to 1");
  });

  test("a source that is nobody's dead-letter queue, or missing, is refused", (t) => {
    const { sqs } = openHarness(t, specs);
    assert.equal(
      thrown(() => sqs.startMessageMoveTask({ sourceArn: arn("app-other") })).code,
      "InvalidParameterValue",
    );
    const missing = thrown(() => sqs.startMessageMoveTask({ sourceArn: arn("app-nope") }));
    assert.equal(missing.code, "ResourceNotFoundException");
    assert.equal(missing.statusCode, 404);
    assert.equal(thrown(() => sqs.listMessageMoveTasks(arn("app-dead"), 11)).code, "InvalidParameterValue");
  });
});
