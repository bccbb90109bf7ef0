import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventKey } from "../../src/local/s3/notifications/event-key.ts";
import { eventMatches, matchingRules } from "../../src/local/s3/notifications/notification-match.ts";
import { notificationRules } from "../../src/local/s3/notifications/notification-rules.ts";

const FN = "arn:aws:lambda:us-east-1:000000000000:function:app-render";
const QUEUE = "arn:aws:sqs:us-east-1:000000000000:app-deletions";

function configuration(notification: Record<string, unknown>): Record<string, unknown> {
  return { BucketName: "content", NotificationConfiguration: notification };
}

describe("S3 notification matching", () => {
  test("an event type wildcard matches every event of its kind, and only those", () => {
    assert.equal(eventMatches("s3:ObjectCreated:*", "ObjectCreated:Put"), true);
    assert.equal(eventMatches("s3:ObjectCreated:*", "ObjectCreated:CompleteMultipartUpload"), true);
    assert.equal(eventMatches("s3:ObjectCreated:*", "ObjectRemoved:Delete"), false);
    assert.equal(eventMatches("s3:ObjectRemoved:*", "ObjectRemoved:DeleteMarkerCreated"), true);
    assert.equal(eventMatches("s3:ObjectRemoved:*", "LifecycleExpiration:Delete"), false);
    assert.equal(eventMatches("s3:ObjectCreated:Put", "ObjectCreated:Put"), true);
    assert.equal(eventMatches("s3:ObjectCreated:Put", "ObjectCreated:Copy"), false);
  });

  test("prefix and suffix rules both have to hold", () => {
    const { rules } = notificationRules(
      configuration({
        LambdaConfigurations: [
          {
            Event: "s3:ObjectCreated:*",
            Function: FN,
            Filter: {
              S3Key: {
                Rules: [
                  { Name: "prefix", Value: "posts/" },
                  { Name: "Suffix", Value: ".md" },
                ],
              },
            },
          },
        ],
      }),
    );
    const match = (key: string) => matchingRules(rules, "ObjectCreated:Put", eventKey(key)).length;
    assert.equal(match("posts/hello.md"), 1);
    assert.equal(match("posts/hello.txt"), 0);
    assert.equal(match("drafts/hello.md"), 0);
  });

  test("filters compare with the URL-encoded key, so a space in a prefix is written +", () => {
    const { rules } = notificationRules(
      configuration({
        QueueConfigurations: [
          {
            Event: "s3:ObjectCreated:*",
            Queue: QUEUE,
            Filter: { S3Key: { Rules: [{ Name: "prefix", Value: "my+docs/" }] } },
          },
        ],
      }),
    );
    assert.equal(matchingRules(rules, "ObjectCreated:Put", eventKey("my docs/a.txt")).length, 1);
    assert.equal(matchingRules(rules, "ObjectCreated:Put", eventKey("my+docs/a.txt")).length, 0);
  });

  test("each destination kind is read, and EventBridge is a flag of its own", () => {
    const read = notificationRules(
      configuration({
        EventBridgeConfiguration: { EventBridgeEnabled: true },
        LambdaConfigurations: [{ Event: "s3:ObjectCreated:*", Function: FN }],
        QueueConfigurations: [{ Event: "s3:ObjectRemoved:*", Queue: QUEUE, Id: "deletions" }],
      }),
    );
    assert.equal(read.eventBridge, true);
    assert.deepEqual(
      read.rules.map((r) => [r.kind, r.arn, r.event]),
      [
        ["function", FN, "s3:ObjectCreated:*"],
        ["queue", QUEUE, "s3:ObjectRemoved:*"],
      ],
    );
    assert.equal(read.rules[1]?.id, "deletions", "a stored Id is the configurationId");
    assert.equal(notificationRules({ BucketName: "x" }).rules.length, 0);
  });

  test("a configuration without an Id gets one that stays the same and differs per configuration", () => {
    const config = configuration({
      LambdaConfigurations: [
        { Event: "s3:ObjectCreated:*", Function: FN },
        { Event: "s3:ObjectRemoved:*", Function: FN },
      ],
    });
    const first = notificationRules(config).rules.map((r) => r.id);
    const again = notificationRules(structuredClone(config)).rules.map((r) => r.id);
    assert.deepEqual(first, again);
    assert.notEqual(first[0], first[1]);
    assert.ok(first[0] && first[0].length > 0);
  });

  test("keys are form-encoded as S3 writes them in events: space as +, + as %2B, / kept", () => {
    assert.equal(eventKey("posts/hello world.md"), "posts/hello+world.md");
    assert.equal(eventKey("a+b=c&d"), "a%2Bb%3Dc%26d");
    assert.equal(eventKey("photo (1).jpg"), "photo+%281%29.jpg");
    assert.equal(eventKey("café/ü.txt"), "caf%C3%A9/%C3%BC.txt");
    assert.equal(eventKey("a-b_c.d*e"), "a-b_c.d*e");
  });
});
