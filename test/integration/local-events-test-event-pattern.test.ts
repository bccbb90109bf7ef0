/**
 * TestEventPattern over the wire (@aws-sdk/client-eventbridge): an event that is not a JSON object
 * or lacks a field the API reference calls mandatory is answered `ValidationException: Parameter
 * Event is not valid.`; patterns AWS accepts (anything-but lists of affixes) compile and match.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EventBridgeClient, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import {
  clientConfig,
  type EndpointApp,
  rejection,
  startEndpointApp,
  statusOf,
} from "../support/endpoint.ts";

const EVENT = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "111122223333",
  time: "2017-12-22T18:43:48Z",
  region: "us-west-1",
  resources: [],
  detail: { state: "terminated", region: "us-east-1" },
};

describe("TestEventPattern", () => {
  let app: EndpointApp;
  let events: EventBridgeClient;

  before(async () => {
    app = await startEndpointApp();
    events = new EventBridgeClient(clientConfig(app.url));
  });
  after(async () => {
    events?.destroy();
    await app?.close();
  });

  const run = (pattern: unknown, event: unknown) =>
    events.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify(pattern),
        Event: typeof event === "string" ? event : JSON.stringify(event),
      }),
    );

  test("refuses an event that is not a JSON object with ValidationException", async () => {
    for (const event of ["not json", "[1]", "5", "null"]) {
      const error = await rejection(run({ source: ["aws.ec2"] }, event));
      assert.equal(error.name, "ValidationException", event);
      assert.equal(statusOf(error), 400);
      assert.equal(error.message, "Parameter Event is not valid.");
    }
  });

  test("refuses an event without one of the mandatory fields", async () => {
    for (const field of ["id", "account", "source", "time", "region", "detail-type"]) {
      const { [field as keyof typeof EVENT]: _gone, ...event } = EVENT;
      const error = await rejection(run({ source: ["aws.ec2"] }, event));
      assert.equal(error.name, "ValidationException", field);
      assert.equal(error.message, "Parameter Event is not valid.");
    }
  });

  test("checks the pattern before the event", async () => {
    const error = await rejection(run({ source: "aws.ec2" }, "not json"));
    assert.equal(error.name, "InvalidEventPatternException");
  });

  test("matches anything-but with a list of prefixes", async () => {
    const pattern = { detail: { region: [{ "anything-but": { prefix: ["us-", "eu-"] } }] } };
    assert.equal((await run(pattern, EVENT)).Result, false);
    const elsewhere = { ...EVENT, detail: { ...EVENT.detail, region: "ap-south-1" } };
    assert.equal((await run(pattern, elsewhere)).Result, true);
  });
});
