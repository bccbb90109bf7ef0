import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { localTaskPort } from "../../src/local/stepfunctions/integrations/index.ts";
import type { TaskOutcome, TaskPort } from "../../src/local/stepfunctions/task-port.ts";
import { executionArnOf, functionArn, queueUrl, stateMachineArnOf } from "../../src/model/naming.ts";
import type { IntegrationPattern } from "../../src/model/state-machine-integrations.ts";
import { nextMessage } from "../support/s3-events-rig.ts";
import { openStepFunctionsRig, type StepFunctionsRig } from "../support/stepfunctions-rig.ts";

const DEFINITION = {
  queues: { jobs: {}, seen: {}, routed: {}, orders: { fifo: true } },
  functions: {
    echo: { handler: "handlers.echo" },
    context: { handler: "handlers.context" },
    custom: { handler: "handlers.custom" },
    crash: { handler: "handlers.crash" },
    forward: { handler: "handlers.forward", routes: "routed" },
    throttled: { handler: "handlers.echo", reservedConcurrency: 0 },
  },
  buses: { flow: {} },
  rules: { all: { bus: "flow", pattern: { source: ["sfn.test"] }, targets: [{ queue: "seen" }] } },
  tables: { notes: { partitionKey: { name: "id", type: "S" } } },
  buckets: { data: {} },
};

const ENDPOINT = "http://127.0.0.1:4566";

let rig: StepFunctionsRig;
let port: TaskPort;

before(async () => {
  rig = await openStepFunctionsRig(DEFINITION);
  port = localTaskPort(rig.cloud);
});
after(() => rig.close());

const executionArn = () =>
  executionArnOf(rig.cloud.spec.region, rig.cloud.spec.accountId, "sfn-flow", "run-1");

function run(
  resource: string,
  parameters: unknown,
  pattern: IntegrationPattern = "requestResponse",
  signal: AbortSignal = new AbortController().signal,
): Promise<TaskOutcome> {
  return port.run({
    resource,
    pattern,
    parameters,
    executionArn: executionArn(),
    stateName: "Task",
    roleArn: "arn:aws:iam::000000000000:role/sfn-flow",
    signal,
  });
}

const states = (action: string) => `arn:aws:states:::${action}`;
const bucketName = () => rig.cloud.spec.buckets?.data?.bucketName ?? "";
const tableName = () => rig.cloud.spec.tables?.notes?.tableName ?? "";

function succeeded(outcome: TaskOutcome): Record<string, unknown> {
  assert.equal(outcome.kind, "succeeded", JSON.stringify(outcome));
  return (outcome as { output: Record<string, unknown> }).output;
}

function failure(outcome: TaskOutcome): { error: string; cause: string } {
  assert.equal(outcome.kind, "failed", JSON.stringify(outcome));
  return outcome as { error: string; cause: string };
}

describe("lambda:invoke", { timeout: 120_000 }, () => {
  test("answers Invoke's response with the Payload parsed from JSON", async () => {
    const output = succeeded(
      await run(states("lambda:invoke"), {
        FunctionName: functionArn(rig.cloud.spec, "echo"),
        Payload: { n: 1 },
      }),
    );
    assert.deepEqual(output.Payload, { received: { n: 1 } });
    assert.equal(output.StatusCode, 200);
    assert.equal(output.ExecutedVersion, "$LATEST");
    const metadata = output.SdkHttpMetadata as { HttpStatusCode: number };
    assert.equal(metadata.HttpStatusCode, 200);
    assert.equal(typeof (output.SdkResponseMetadata as { RequestId: string }).RequestId, "string");
  });

  test("takes a function's physical name, and a partial ARN, as Invoke does", async () => {
    const byName = succeeded(await run(states("lambda:invoke"), { FunctionName: "sfn-echo", Payload: 2 }));
    assert.deepEqual(byName.Payload, { received: 2 });
    const partial = `${rig.cloud.spec.accountId}:function:sfn-echo:$LATEST`;
    const byPartial = succeeded(await run(states("lambda:invoke"), { FunctionName: partial }));
    assert.deepEqual(byPartial.Payload, { received: {} });
  });

  test("hands ClientContext (base64 JSON) to the function", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: "t1" } })).toString("base64");
    const output = succeeded(
      await run(states("lambda:invoke"), { FunctionName: "sfn-context", ClientContext: clientContext }),
    );
    assert.deepEqual((output.Payload as { clientContext: { custom: unknown } }).clientContext.custom, {
      tenant: "t1",
    });
  });

  test("fails with the function's error type, the error object as the cause", async () => {
    const { error, cause } = failure(
      await run(states("lambda:invoke"), { FunctionName: functionArn(rig.cloud.spec, "custom") }),
    );
    assert.equal(error, "CustomError");
    const parsed = JSON.parse(cause);
    assert.equal(parsed.errorType, "CustomError");
    assert.equal(parsed.errorMessage, "This is a custom error!");
  });

  test("reports an unhandled failure (the runtime exited) as Lambda.Unknown", async () => {
    const { error, cause } = failure(
      await run(states("lambda:invoke"), { FunctionName: functionArn(rig.cloud.spec, "crash") }),
    );
    assert.equal(error, "Lambda.Unknown");
    assert.equal(JSON.parse(cause).errorType, "Runtime.ExitError");
  });

  test("reports a throttled invoke as Lambda.TooManyRequestsException", async () => {
    const { error, cause } = failure(
      await run(states("lambda:invoke"), { FunctionName: functionArn(rig.cloud.spec, "throttled") }),
    );
    assert.equal(error, "Lambda.TooManyRequestsException");
    assert.match(cause, /Status Code: 429/);
  });

  test("fails with Lambda.ResourceNotFoundException for a function this cloud does not have", async () => {
    const { error, cause } = failure(
      await run(states("lambda:invoke"), {
        FunctionName: "arn:aws:lambda:us-east-1:999999999999:function:x",
      }),
    );
    assert.equal(error, "Lambda.ResourceNotFoundException");
    assert.match(cause, /Function not found/);
  });

  test("answers the payload itself when the Resource is the function's ARN", async () => {
    const output = succeeded(await run(functionArn(rig.cloud.spec, "echo"), { n: 3 }));
    assert.deepEqual(output, { received: { n: 3 } });
  });

  test("delivers the routes of a function a task invokes", async () => {
    succeeded(await run(states("lambda:invoke"), { FunctionName: "sfn-forward", Payload: { id: "r1" } }));
    const message = await nextMessage(rig.cloud, "routed");
    assert.deepEqual(JSON.parse(message.body), { id: "r1" });
  });

  test(".waitForTaskToken invokes with the token in the payload, then waits", async () => {
    const outcome = await run(
      states("lambda:invoke.waitForTaskToken"),
      { FunctionName: "sfn-forward", Payload: { token: "tok-1" } },
      "waitForTaskToken",
    );
    assert.deepEqual(outcome, { kind: "waiting" });
    const message = await nextMessage(rig.cloud, "routed");
    assert.deepEqual(JSON.parse(message.body), { token: "tok-1" });
  });

  test(".waitForTaskToken fails at once when the function fails", async () => {
    const { error } = failure(
      await run(states("lambda:invoke.waitForTaskToken"), { FunctionName: "sfn-custom" }, "waitForTaskToken"),
    );
    assert.equal(error, "CustomError");
  });

  test("rejects with the signal's reason when the task is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("state timed out"));
    await assert.rejects(
      run(states("lambda:invoke"), { FunctionName: "sfn-echo" }, "requestResponse", controller.signal),
      /state timed out/,
    );
  });
});

describe("sqs:sendMessage", { timeout: 60_000 }, () => {
  test("sends MessageBody (an object as its JSON) and answers SendMessage's response", async () => {
    const output = succeeded(
      await run(states("sqs:sendMessage"), {
        QueueUrl: queueUrl(ENDPOINT, rig.cloud.spec, "jobs"),
        MessageBody: { job: 7 },
        MessageAttributes: { kind: { DataType: "String", StringValue: "nightly" } },
      }),
    );
    assert.equal(typeof output.MessageId, "string");
    assert.equal(output.MD5OfMessageBody, createHash("md5").update('{"job":7}').digest("hex"));
    assert.equal(typeof output.MD5OfMessageAttributes, "string");
    const message = await nextMessage(rig.cloud, "jobs");
    assert.equal(message.body, '{"job":7}');
    assert.equal(message.messageId, output.MessageId);
  });

  test("sends a FIFO message with its group, answering its SequenceNumber", async () => {
    const output = succeeded(
      await run(states("sqs:sendMessage"), {
        QueueUrl: queueUrl(ENDPOINT, rig.cloud.spec, "orders"),
        MessageBody: "first",
        MessageGroupId: "g",
        MessageDeduplicationId: "d1",
      }),
    );
    assert.equal(typeof output.SequenceNumber, "string");
  });

  test("fails with SQS's error for a FIFO message without a group", async () => {
    const { error } = failure(
      await run(states("sqs:sendMessage"), {
        QueueUrl: queueUrl(ENDPOINT, rig.cloud.spec, "orders"),
        MessageBody: "no group",
      }),
    );
    assert.equal(error, "SQS.MissingParameterException");
  });

  test("fails with SQS.QueueDoesNotExistException for a queue this cloud does not have", async () => {
    const { error } = failure(
      await run(states("sqs:sendMessage"), { QueueUrl: `${ENDPOINT}/000000000000/nope`, MessageBody: "x" }),
    );
    assert.equal(error, "SQS.QueueDoesNotExistException");
  });

  test(".waitForTaskToken sends the message, then waits", async () => {
    const outcome = await run(
      states("sqs:sendMessage.waitForTaskToken"),
      { QueueUrl: queueUrl(ENDPOINT, rig.cloud.spec, "jobs"), MessageBody: { TaskToken: "tok-2" } },
      "waitForTaskToken",
    );
    assert.deepEqual(outcome, { kind: "waiting" });
    assert.deepEqual(JSON.parse((await nextMessage(rig.cloud, "jobs")).body), { TaskToken: "tok-2" });
  });
});

describe("events:putEvents", { timeout: 60_000 }, () => {
  test("puts the events, Detail as JSON, with the execution and machine ARNs in Resources", async () => {
    const bus = rig.cloud.spec.events?.buses.flow?.eventBusName;
    const output = succeeded(
      await run(states("events:putEvents"), {
        Entries: [{ Source: "sfn.test", DetailType: "Done", Detail: { ok: true }, EventBusName: bus }],
      }),
    );
    assert.equal(output.FailedEntryCount, 0);
    const entries = output.Entries as { EventId?: string }[];
    assert.equal(entries.length, 1);
    assert.equal(typeof entries[0]?.EventId, "string");
    const event = JSON.parse((await nextMessage(rig.cloud, "seen")).body);
    assert.equal(event.source, "sfn.test");
    assert.deepEqual(event.detail, { ok: true });
    assert.deepEqual(event.resources, [
      executionArn(),
      stateMachineArnOf(rig.cloud.spec.region, rig.cloud.spec.accountId, "sfn-flow"),
    ]);
  });

  test("fails with EventBridge.FailedEntry when an entry is refused", async () => {
    const { error, cause } = failure(
      await run(states("events:putEvents"), {
        Entries: [{ Source: "sfn.test", DetailType: "Done", Detail: {}, EventBusName: "no-such-bus" }],
      }),
    );
    assert.equal(error, "EventBridge.FailedEntry");
    assert.equal(JSON.parse(cause).FailedEntryCount, 1);
  });
});

describe("dynamodb", { timeout: 60_000 }, () => {
  test("puts, gets, updates and deletes an item, answering each API response", async () => {
    const TableName = tableName();
    const Key = { id: { S: "n1" } };
    succeeded(await run(states("dynamodb:putItem"), { TableName, Item: { ...Key, text: { S: "hello" } } }));
    const got = succeeded(await run(states("dynamodb:getItem"), { TableName, Key }));
    assert.deepEqual(got.Item, { id: { S: "n1" }, text: { S: "hello" } });
    assert.equal((got.SdkHttpMetadata as { HttpStatusCode: number }).HttpStatusCode, 200);
    const updated = succeeded(
      await run(states("dynamodb:updateItem"), {
        TableName,
        Key,
        UpdateExpression: "SET #t = :t",
        ExpressionAttributeNames: { "#t": "text" },
        ExpressionAttributeValues: { ":t": { S: "bye" } },
        ReturnValues: "ALL_NEW",
      }),
    );
    assert.deepEqual(updated.Attributes, { id: { S: "n1" }, text: { S: "bye" } });
    succeeded(await run(states("dynamodb:deleteItem"), { TableName, Key }));
    assert.equal(succeeded(await run(states("dynamodb:getItem"), { TableName, Key })).Item, undefined);
  });

  test("fails with DynamoDB.ConditionalCheckFailedException when the condition does not hold", async () => {
    const { error } = failure(
      await run(states("dynamodb:deleteItem"), {
        TableName: tableName(),
        Key: { id: { S: "absent" } },
        ConditionExpression: "attribute_exists(id)",
      }),
    );
    assert.equal(error, "DynamoDB.ConditionalCheckFailedException");
  });

  test("fails with DynamoDB.ResourceNotFoundException for a table this cloud does not have", async () => {
    const { error } = failure(
      await run(states("dynamodb:getItem"), { TableName: "nope", Key: { id: { S: "x" } } }),
    );
    assert.equal(error, "DynamoDB.ResourceNotFoundException");
  });
});

describe("S3", { timeout: 60_000 }, () => {
  test("aws-sdk:s3:putObject then getObject answer the API's fields in PascalCase, Body as text", async () => {
    const Bucket = bucketName();
    const put = succeeded(
      await run(states("aws-sdk:s3:putObject"), {
        Bucket,
        Key: "a.json",
        Body: { a: 1 },
        ContentType: "application/json",
      }),
    );
    assert.match(String(put.ETag), /^"[0-9a-f]{32}"$/);
    const got = succeeded(await run(states("aws-sdk:s3:getObject"), { Bucket, Key: "a.json" }));
    assert.equal(got.Body, '{"a":1}');
    assert.equal(got.ContentType, "application/json");
    assert.equal(got.ContentLength, 7);
    assert.equal(got.ETag, put.ETag);
  });

  test("aws-sdk:s3:getObject of a missing key fails with S3.NoSuchKeyException", async () => {
    const { error } = failure(
      await run(states("aws-sdk:s3:getObject"), { Bucket: bucketName(), Key: "none" }),
    );
    assert.equal(error, "S3.NoSuchKeyException");
  });

  test("an ItemReader's s3:getObject answers the body, s3:listObjectsV2 every object under the prefix", async () => {
    const Bucket = bucketName();
    for (const key of ["items/1.json", "items/2.json", "other/3.json"]) {
      rig.cloud.s3.putObject(Bucket, key, Buffer.from("[1,2]"));
    }
    assert.equal(
      succeeded(await run(states("s3:getObject"), { Bucket, Key: "items/1.json" })) as unknown,
      "[1,2]",
    );
    const listed = succeeded(
      await run(states("s3:listObjectsV2"), { Bucket, Prefix: "items/" }),
    ) as unknown as {
      Key: string;
      Size: number;
      Etag: string;
      LastModified: number;
    }[];
    assert.deepEqual(
      listed.map((item) => [item.Key, item.Size]),
      [
        ["items/1.json", 5],
        ["items/2.json", 5],
      ],
    );
    assert.match(listed[0]?.Etag ?? "", /^"[0-9a-f]{32}"$/);
  });

  test("an ItemReader that cannot read fails with States.ItemReaderFailed", async () => {
    const { error } = failure(await run(states("s3:getObject"), { Bucket: bucketName(), Key: "missing" }));
    assert.equal(error, "States.ItemReaderFailed");
  });
});

test("a resource Sluice does not run fails with States.Runtime naming it", async () => {
  const { error, cause } = failure(await run(states("glue:startJobRun"), {}));
  assert.equal(error, "States.Runtime");
  assert.match(cause, /glue:startJobRun/);
});
