/**
 * Issue 11, "request data is data", on `sluice dev`'s endpoint: no key from the wire becomes an
 * object path (query, AWS JSON, REST paths), and wrong types or bad encodings get AWS's 4xx
 * answers, never a 500 or a stack trace. The endpoint runs in this process, so a polluted
 * Object.prototype would show here.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { type EndpointApp, startEndpointApp } from "../support/endpoint.ts";
import { signedHeaders as sigV4Headers } from "../support/request-signing.ts";

const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function assertPrototypeClean(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTOTYPE_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const name of ["DelaySeconds", "X", "polluted", "Value", "DataType", "Name"])
    assert.equal(probe[name], undefined, `Object.prototype.${name} was set`);
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** An answer is AWS's when it is no 500 and carries no stack trace. */
function assertNoBug(answer: Answer, what: string): void {
  assert.notEqual(answer.status, 500, `${what}: ${answer.text}`);
  assert.doesNotMatch(
    answer.text,
    /\n\s+at |\.ts:\d+|node:internal/,
    `${what} leaked a stack: ${answer.text}`,
  );
}

describe("wire data never becomes an object path, and hostile input gets AWS's answers", () => {
  let app: EndpointApp;
  let jobsUrl: string;

  const send = async (init: {
    service: string;
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
  }): Promise<Answer> => {
    const res = await fetch(`${app.url}${init.path ?? "/"}`, {
      method: init.method ?? "POST",
      headers: { ...sigV4Headers(init.service), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const form = (service: string, body: string) =>
    send({ service, headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  const json = (target: string, body: unknown, version = "1.0") =>
    send({
      service: target.startsWith("AWSEvents") ? "events" : "sqs",
      headers: { "content-type": `application/x-amz-json-${version}`, "x-amz-target": target },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  before(async () => {
    app = await startEndpointApp();
    jobsUrl = `${app.url}/000000000000/endpoint-jobs`;
    const found = await form("sqs", "Action=GetQueueUrl&QueueName=endpoint-jobs");
    jobsUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(found.text)?.[1] ?? jobsUrl;
  });
  after(async () => {
    await app?.close();
    assertPrototypeClean();
  });

  test("a query parameter named __proto__.DelaySeconds pollutes nothing and delays no later message", async () => {
    const url = encodeURIComponent(jobsUrl);
    const hostile = [
      `Action=SendMessage&QueueUrl=${url}&MessageBody=first&__proto__.DelaySeconds=900`,
      `Action=SendMessage&QueueUrl=${url}&MessageBody=second&constructor.prototype.DelaySeconds=900`,
      `Action=SendMessage&QueueUrl=${url}&MessageBody=third&Attribute.__proto__.X=1&X.__proto__.Y=2`,
      `Action=GetQueueAttributes&QueueUrl=${url}&AttributeName.__proto__=x&AttributeName.1=All`,
      `Action=SetQueueAttributes&QueueUrl=${url}&Attribute.1.Name=__proto__&Attribute.1.Value=polluted`,
      `Action=__proto__&QueueUrl=${url}`,
      `Action=constructor&QueueUrl=${url}`,
      `Action=toString&QueueUrl=${url}`,
    ];
    for (const body of hostile) {
      const answer = await form("sqs", body);
      assertNoBug(answer, body);
      assertPrototypeClean();
    }
    for (const action of ["__proto__", "constructor", "toString"]) {
      const answer = await form("sqs", `Action=${action}&QueueUrl=${url}`);
      assert.equal(answer.status, 400);
      assert.match(answer.text, /<Code>InvalidAction<\/Code>/);
    }
    const sts = await form("sts", "Action=GetCallerIdentity&Version=2011-06-15&__proto__.polluted=1");
    assert.equal(sts.status, 200, sts.text);
    assertPrototypeClean();
    // The message sent after the hostile ones is delivered at once: nothing added a 900 s delay.
    await app.sqs.send(new SendMessageCommand({ QueueUrl: jobsUrl, MessageBody: "after" }));
    const bodies: string[] = [];
    for (let i = 0; i < 5 && !bodies.includes("after"); i++) {
      const got = await app.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: jobsUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      bodies.push(...(got.Messages ?? []).map((m) => m.Body ?? ""));
    }
    assert.ok(bodies.includes("after"), `received ${bodies.join(", ")}`);
    assert.ok(bodies.includes("first"), "the hostile-keyed message itself is not delayed either");
  });

  test("message attributes named __proto__, constructor and prototype round-trip as data (query and JSON)", async () => {
    const url = encodeURIComponent(jobsUrl);
    const viaQuery = await form(
      "sqs",
      `Action=SendMessage&QueueUrl=${url}&MessageBody=q-attrs` +
        "&MessageAttribute.1.Name=__proto__&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=p" +
        "&MessageAttribute.2.Name=constructor&MessageAttribute.2.Value.DataType=String&MessageAttribute.2.Value.StringValue=c",
    );
    assert.equal(viaQuery.status, 200, viaQuery.text);
    const viaJson = await json(
      "AmazonSQS.SendMessage",
      `{"QueueUrl":${JSON.stringify(jobsUrl)},"MessageBody":"j-attrs","__proto__":{"DelaySeconds":900},` +
        `"MessageAttributes":{"__proto__":{"DataType":"String","StringValue":"p"},"prototype":{"DataType":"String","StringValue":"q"}}}`,
    );
    assert.equal(viaJson.status, 200, viaJson.text);
    assertPrototypeClean();
    const seen = new Map<string, string[]>();
    for (let i = 0; i < 10 && seen.size < 2; i++) {
      const answer = await json("AmazonSQS.ReceiveMessage", {
        QueueUrl: jobsUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      });
      const parsed = JSON.parse(answer.text) as { Messages?: { Body: string; ReceiptHandle: string }[] };
      for (const m of parsed.Messages ?? []) {
        const raw = answer.text;
        if (m.Body === "q-attrs" || m.Body === "j-attrs") seen.set(m.Body, []);
        await json("AmazonSQS.DeleteMessage", { QueueUrl: jobsUrl, ReceiptHandle: m.ReceiptHandle });
        if (m.Body === "q-attrs") assert.match(raw, /"__proto__":\{"StringValue":"p"/);
        if (m.Body === "q-attrs") assert.match(raw, /"constructor":\{"StringValue":"c"/);
        if (m.Body === "j-attrs") assert.match(raw, /"prototype":\{"StringValue":"q"/);
        if (m.Body === "j-attrs") assert.match(raw, /"j-attrs".*"__proto__":\{"StringValue":"p"/);
      }
    }
    assert.deepEqual([...seen.keys()].sort(), ["j-attrs", "q-attrs"]);
  });

  test("wrong JSON types in SQS calls are 400s", async () => {
    const cases: [string, unknown][] = [
      ["AmazonSQS.SendMessage", { QueueUrl: jobsUrl, MessageBody: "x", MessageAttributes: "str" }],
      ["AmazonSQS.SendMessage", { QueueUrl: jobsUrl, MessageBody: "x", MessageAttributes: { a: "str" } }],
      ["AmazonSQS.SendMessage", { QueueUrl: jobsUrl, MessageBody: "x", MessageAttributes: { a: null } }],
      ["AmazonSQS.SendMessage", { QueueUrl: jobsUrl, MessageBody: { constructor: 1 } }],
      ["AmazonSQS.SendMessage", { QueueUrl: ["x"], MessageBody: "x" }],
      ["AmazonSQS.SendMessageBatch", { QueueUrl: jobsUrl, Entries: { constructor: {} } }],
      ["AmazonSQS.SendMessageBatch", { QueueUrl: jobsUrl, Entries: [{ Id: {}, MessageBody: "x" }] }],
      ["AmazonSQS.DeleteMessageBatch", { QueueUrl: jobsUrl, Entries: [{ Id: "a", ReceiptHandle: [] }] }],
      ["AmazonSQS.ChangeMessageVisibilityBatch", { QueueUrl: jobsUrl, Entries: [{ Id: 1 }] }],
      ["AmazonSQS.CreateQueue", JSON.parse('{"QueueName":"q","Attributes":{"__proto__":{}}}')],
      // An existing queue compared against an attribute named after an inherited member.
      ["AmazonSQS.CreateQueue", JSON.parse('{"QueueName":"endpoint-jobs","Attributes":{"constructor":"1"}}')],
      ["AmazonSQS.TagQueue", { QueueUrl: jobsUrl, Tags: "t" }],
      ["AmazonSQS.ReceiveMessage", { QueueUrl: jobsUrl, MaxNumberOfMessages: "ten" }],
      ["AmazonSQS.GetQueueAttributes", { QueueUrl: jobsUrl, AttributeNames: [1] }],
      ["AmazonSQS.SendMessage", "[1,2]"],
    ];
    for (const [target, body] of cases) {
      const answer = await json(target, body);
      assertNoBug(answer, `${target} ${JSON.stringify(body)}`);
      assert.equal(answer.status, 400, `${target} ${JSON.stringify(body)}: ${answer.text}`);
    }
    assertPrototypeClean();
  });

  test("wrong JSON types in EventBridge PutEvents are SerializationExceptions, not 500s", async () => {
    const entry = { Source: "app.test", DetailType: "t", Detail: "{}" };
    const cases: [unknown, string][] = [
      [{ Entries: { constructor: entry } }, "SerializationException"],
      [{ Entries: "all" }, "SerializationException"],
      [{ Entries: [5] }, "SerializationException"],
      [{ Entries: [{ ...entry, Detail: 5 }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Source: { a: 1 } }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Resources: "arn" }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Resources: [1] }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Time: "not a date" }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Time: 1e300 }] }, "SerializationException"],
      [{ Entries: [{ ...entry, Time: {} }] }, "SerializationException"],
      [{ Entries: [{ ...entry, EventBusName: ["default"] }] }, "SerializationException"],
      [{}, "ValidationException"],
    ];
    for (const [body, code] of cases) {
      const answer = await json("AWSEvents.PutEvents", body, "1.1");
      assertNoBug(answer, JSON.stringify(body));
      assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
      assert.equal((JSON.parse(answer.text) as { __type: string }).__type, code, JSON.stringify(body));
    }
    const pattern = await json("AWSEvents.TestEventPattern", { EventPattern: 1, Event: "{}" }, "1.1");
    assert.equal(pattern.status, 400);
    const keyed = await json(
      "AWSEvents.PutEvents",
      JSON.parse(
        `{"Entries":[{"__proto__":{"polluted":1},"Source":"app.test","DetailType":"t","Detail":"{\\"__proto__\\":{\\"polluted\\":1}}"}]}`,
      ),
      "1.1",
    );
    assert.equal(keyed.status, 200, keyed.text);
    assert.equal((JSON.parse(keyed.text) as { FailedEntryCount: number }).FailedEntryCount, 0);
    assertPrototypeClean();
  });

  test("Lambda paths: bad percent-encoding is a 400 and inherited names find no function", async () => {
    const bad = await send({
      service: "lambda",
      path: "/2015-03-31/functions/%E0%A4%A/invocations",
      body: "{}",
    });
    assertNoBug(bad, "bad percent-encoding");
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.headers.get("x-amzn-errortype"), "ValidationException");
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "prototype"]) {
      const answer = await send({
        service: "lambda",
        path: `/2015-03-31/functions/${name}/invocations`,
        body: "{}",
      });
      assertNoBug(answer, name);
      assert.equal(answer.status, 404, `${name}: ${answer.text}`);
      assert.equal(answer.headers.get("x-amzn-errortype"), "ResourceNotFoundException");
      const config = await send({
        service: "lambda",
        method: "GET",
        path: `/2015-03-31/functions/${name}/configuration`,
      });
      assert.equal(config.status, 404, `${name}: ${config.text}`);
    }
    assertPrototypeClean();
  });
});
