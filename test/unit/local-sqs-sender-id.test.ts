import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type AsyncInvoker, Router } from "../../src/local/routing/router.ts";
import { createQueueService } from "../../src/local/sqs/queue-service.ts";
import type { QueueService } from "../../src/local/sqs/types.ts";
import type { SqsCall } from "../../src/local/sqs/wire/action.ts";
import { sqsAction } from "../../src/local/sqs/wire/action-table.ts";
import { openStore } from "../../src/local/store/store.ts";
import type { FunctionSpec } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { tempDir } from "../support/temp.ts";

// SenderId: "For an IAM role, returns the IAM role ID, for example ABCDE1F2GH3I4JK5LMNOP:i-a123b456"
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html):
// a function's calls are made by its execution role in a session named after the function.

const spec = normaliseApp({
  name: "senders",
  queues: { jobs: {} },
  functions: {
    source: { handler: "src/source.handler" },
    other: { handler: "src/other.handler" },
  },
});

const ROLE_SESSION = /^AROA[A-Z0-9]{17}:(.+)$/;

const noInvoker: AsyncInvoker = { enqueue: () => ({ requestId: "unused" }) };

function setup(t: TestContext): { sqs: QueueService; router: Router } {
  const temp = tempDir("sluice-sender-");
  const db = openStore(join(temp.dir, "state.sqlite"));
  const sqs = createQueueService({
    db,
    clock: new ManualClock(),
    region: spec.region,
    accountId: spec.accountId,
  });
  sqs.ensureQueues(Object.values(spec.queues));
  t.after(() => {
    sqs.close();
    db.close();
    temp.cleanup();
  });
  return { sqs, router: new Router(spec, sqs, noInvoker) };
}

function call(sqs: QueueService, caller?: FunctionSpec): SqsCall {
  return {
    cloud: { sqs },
    spec,
    endpointUrl: "http://127.0.0.1:4566",
    requestId: "req-1",
    region: spec.region,
    ...(caller ? { caller } : {}),
    signal: new AbortController().signal,
    authorize: () => {},
    reportBug: (error) => {
      throw error;
    },
  };
}

const queueUrl = () => `http://127.0.0.1:4566/${spec.accountId}/senders-jobs`;

async function senders(sqs: QueueService, count: number): Promise<string[]> {
  const received = await sqs.receiveMessages("senders-jobs", { maxNumberOfMessages: count });
  return received.map((m) => m.attributes.SenderId ?? "");
}

describe("SenderId", () => {
  test("a message a function routes to a queue carries its role session's id: AROA…:<function name>", async (t) => {
    const { sqs, router } = setup(t);
    router.deliver([{ to: "jobs", data: { n: 1 } }], { from: "source", requestId: "r1" });
    const [sender] = await senders(sqs, 1);
    assert.match(sender ?? "", ROLE_SESSION);
    assert.equal(ROLE_SESSION.exec(sender ?? "")?.[1], spec.functions.source?.functionName);
  });

  test("SendMessage and SendMessageBatch from a function's SDK carry the same id; the user's own calls the account's", async (t) => {
    const { sqs, router } = setup(t);
    const source = spec.functions.source as FunctionSpec;
    const other = spec.functions.other as FunctionSpec;
    await sqsAction("SendMessage")({ QueueUrl: queueUrl(), MessageBody: "a" }, call(sqs, source));
    await sqsAction("SendMessageBatch")(
      { QueueUrl: queueUrl(), Entries: [{ Id: "1", MessageBody: "b" }] },
      call(sqs, other),
    );
    await sqsAction("SendMessage")({ QueueUrl: queueUrl(), MessageBody: "c" }, call(sqs));
    router.deliver([{ to: "jobs", data: "d" }], { from: "source", requestId: "r2" });
    const [a, b, c, d] = await senders(sqs, 4);
    assert.equal(ROLE_SESSION.exec(a ?? "")?.[1], source.functionName);
    assert.equal(ROLE_SESSION.exec(b ?? "")?.[1], other.functionName);
    assert.equal(c, spec.accountId, "the account's root user: its id is the account id");
    assert.equal(d, a, "one role id per function, however it sends");
    assert.notEqual(a?.split(":")[0], b?.split(":")[0], "each function has its own role");
  });

  test("a standard queue keeps a message's MessageGroupId (fair queues) and returns it", async (t) => {
    const { sqs } = setup(t);
    await sqsAction("SendMessage")(
      { QueueUrl: queueUrl(), MessageBody: "a", MessageGroupId: "tenant-1" },
      call(sqs),
    );
    const [message] = await sqs.receiveMessages("senders-jobs", {});
    assert.equal(message?.attributes.MessageGroupId, "tenant-1");
  });
});
