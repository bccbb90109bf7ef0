/**
 * Input transformers as EventBridge applies them, from its user guide (eb-transform-target-input:
 * "Predefined variables", "Input transform examples", "Common Issues with transforming input").
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { EventBridgeEvent } from "../../src/local/events/event-envelope.ts";
import { targetInput } from "../../src/local/events/target-input.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issuesOf, type Obj } from "../support/model-validate.ts";

const EVENT: EventBridgeEvent = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING", tags: { team: "a" }, list: [1, 2] },
};

const CONTEXT = {
  ruleArn: "arn:aws:events:us-east-1:123456789012:rule/example",
  ruleName: "example",
  ingestionTime: "2015-11-11T21:29:55Z",
};

function transform(inputTemplate: string, inputPathsMap: Record<string, string> = {}): string {
  return targetInput({ kind: "transformer", inputPathsMap, inputTemplate }, EVENT, CONTEXT);
}

describe("input transformer output", () => {
  test("fills strings, numbers and objects as the user guide's examples show", () => {
    const out = transform('{"instance": <instance>, "state": [9, <state>, true], "tags": <tags>}', {
      instance: "$.detail.instance-id",
      state: "$.detail.state",
      tags: "$.detail.tags",
    });
    assert.deepEqual(JSON.parse(out), {
      instance: "i-0123456789",
      state: [9, "RUNNING", true],
      tags: { team: "a" },
    });
  });

  test("writes an object or array inside a JSON string without its internal quotes", () => {
    const out = transform('{"message": "tags are <tags> and list is <list>"}', {
      tags: "$.detail.tags",
      list: "$.detail.list",
    });
    assert.deepEqual(JSON.parse(out), { message: "tags are {team:a} and list is [1,2]" });
  });

  test("writes an object raw into a plain-text template", () => {
    assert.equal(transform("tags: <tags>", { tags: "$.detail.tags" }), 'tags: {"team":"a"}');
  });

  test("<aws.events.event> is the event without its detail", () => {
    const out = JSON.parse(transform('{"original": <aws.events.event>}'));
    const { detail: _detail, ...withoutDetail } = EVENT;
    assert.deepEqual(out.original, withoutDetail);
  });

  test("<aws.events.event.json> is the whole event, detail included", () => {
    const out = JSON.parse(transform('{"original": <aws.events.event.json>}'));
    assert.deepEqual(out.original, EVENT);
  });

  test("fills the rule's ARN, name and the ingestion time", () => {
    const out = JSON.parse(
      transform(
        '{"arn": <aws.events.rule-arn>, "name": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>}',
      ),
    );
    assert.deepEqual(out, { arn: CONTEXT.ruleArn, name: "example", at: CONTEXT.ingestionTime });
    assert.equal(transform('"<aws.events.rule-name> triggered"'), '"example triggered"');
  });

  test("a path that selects nothing leaves nothing in text and null as a JSON value", () => {
    assert.equal(transform("state <gone>.", { gone: "$.detail.missing" }), "state .");
    assert.deepEqual(JSON.parse(transform('{"v": <gone>, "s": "x<gone>y"}', { gone: "$.detail.nope" })), {
      v: null,
      s: "xy",
    });
  });
});

describe("input transformer validation", () => {
  function rule(inputTemplate: string, inputPathsMap: Record<string, string> = {}): Obj {
    return {
      name: "shop",
      functions: { bill: { handler: "src/bill.handler" } },
      rules: {
        r: {
          pattern: { source: ["shop"] },
          targets: [{ function: "bill", inputTransformer: { inputPathsMap, inputTemplate } }],
        },
      },
    };
  }

  test("refuses a placeholder that is neither in inputPathsMap nor predefined", () => {
    const issues = issuesOf(rule('{"id": <id>, "who": <who>}', { id: "$.detail.id" }));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, "rules.r.targets[0].inputTransformer.inputTemplate");
    assert.match(issues[0]?.message ?? "", /<who>/);
  });

  test("accepts placeholders from the map and the predefined variables", () => {
    normaliseApp(
      rule(
        '{"id": <id>, "e": <aws.events.event.json>, "r": "<aws.events.rule-name>", "t": <aws.events.event.ingestion-time>}',
        {
          id: "$.detail.id",
        },
      ),
    );
  });
});
