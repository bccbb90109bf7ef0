import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defineApp } from "../../src/model/define-app.ts";
import { eventBusArn, ruleArn } from "../../src/model/events.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issuesOf, type Obj } from "../support/model-validate.ts";

function app(extra: Obj): Obj {
  return {
    name: "shop",
    queues: { audit: {}, dlq: {}, ordered: { fifo: true } },
    functions: { bill: { handler: "src/bill.handler" } },
    buses: { orders: { description: "Order events" } },
    ...extra,
  };
}

function rule(fields: Obj): Obj {
  return app({ rules: { r: { pattern: { source: ["shop"] }, targets: [{ function: "bill" }], ...fields } } });
}

describe("events in the definition", () => {
  test("normalises buses, rules and targets with EventBridge's retry defaults", () => {
    const spec = normaliseApp(
      app({
        rules: {
          placed: {
            bus: "orders",
            pattern: { "detail-type": ["placed"] },
            targets: [
              { function: "bill", inputPath: "$.detail" },
              {
                queue: "audit",
                input: { fixed: true },
                retryPolicy: { maximumRetryAttempts: 3, maximumEventAge: "2 minutes" },
                deadLetter: "dlq",
              },
              { bus: "default" },
            ],
          },
        },
      }),
    );
    assert.deepEqual(spec.events?.buses.orders, {
      name: "orders",
      eventBusName: "shop-orders",
      description: "Order events",
    });
    const placed = spec.events?.rules.placed;
    assert.ok(placed);
    assert.equal(placed.ruleName, "shop-placed");
    assert.deepEqual(
      placed.targets.map((t) => [t.id, t.maximumRetryAttempts, t.maximumEventAgeSeconds, t.deadLetterQueue]),
      [
        ["function-bill", 185, 86400, undefined],
        ["queue-audit", 3, 120, "dlq"],
        ["bus-default", 185, 86400, undefined],
      ],
    );
    assert.deepEqual(placed.targets[1]?.input, { kind: "constant", json: '{"fixed":true}' });
    assert.equal(placed.targets[2]?.input, undefined);
    assert.equal(ruleArn(spec, placed), "arn:aws:events:us-east-1:000000000000:rule/shop-orders/shop-placed");
    assert.equal(eventBusArn(spec, "default"), "arn:aws:events:us-east-1:000000000000:event-bus/default");
  });

  test("rejects an invalid event pattern at load with EventBridge's reason", () => {
    const issues = issuesOf(rule({ pattern: { source: "shop" } }));
    assert.equal(issues[0]?.path, "rules.r.pattern");
    assert.match(issues[0]?.message ?? "", /^Event pattern is not valid\. Reason: /);
  });

  test("rejects unknown targets, buses and dead-letter queues, naming what exists", () => {
    const issues = issuesOf(
      app({
        rules: {
          r: {
            bus: "ordrs",
            pattern: { source: ["x"] },
            targets: [{ function: "bil" }, { queue: "audit", deadLetter: "ordered" }],
          },
        },
      }),
    );
    const paths = issues.map((i) => i.path);
    assert.deepEqual(paths, ["rules.r.bus", "rules.r.targets[0].function", "rules.r.targets[1].deadLetter"]);
    assert.match(issues[0]?.message ?? "", /did you mean "orders"/i);
  });

  test("rejects 0 or 6 targets, two input options, and retry policies out of range", () => {
    assert.equal(issuesOf(rule({ targets: [] }))[0]?.path, "rules.r.targets");
    const six = Array.from({ length: 6 }, () => ({ queue: "audit" }));
    assert.equal(issuesOf(rule({ targets: six }))[0]?.path, "rules.r.targets");
    const both = issuesOf(rule({ targets: [{ function: "bill", input: 1, inputPath: "$.detail" }] }));
    assert.match(both[0]?.message ?? "", /at most one of input, inputPath and inputTransformer/);
    const retries = issuesOf(
      rule({
        targets: [
          { function: "bill", retryPolicy: { maximumRetryAttempts: 186, maximumEventAge: "30 seconds" } },
        ],
      }),
    );
    assert.deepEqual(
      retries.map((i) => i.path),
      [
        "rules.r.targets[0].retryPolicy.maximumRetryAttempts",
        "rules.r.targets[0].retryPolicy.maximumEventAge",
      ],
    );
  });

  test("rejects a bus target that is the rule's own bus, and reserved transformer names", () => {
    assert.match(issuesOf(rule({ targets: [{ bus: "default" }] }))[0]?.message ?? "", /looping/);
    const reserved = issuesOf(
      rule({
        targets: [
          {
            function: "bill",
            inputTransformer: { inputPathsMap: { "aws.x": "$.id" }, inputTemplate: "<aws.x>" },
          },
        ],
      }),
    );
    assert.match(reserved[0]?.message ?? "", /reserves/);
  });

  // EventBridge's SqsParameters: a FIFO queue target needs a message group and a queue that
  // deduplicates by content (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html).
  test("a FIFO queue target gets the rule's name as its message group unless it names one; a standard queue only when named", () => {
    const spec = normaliseApp(
      app({
        queues: { audit: {}, dlq: {}, ordered: { fifo: true, contentBasedDeduplication: true } },
        rules: {
          placed: {
            pattern: { source: ["shop"] },
            targets: [{ queue: "ordered" }, { queue: "audit" }, { function: "bill" }],
          },
          paid: {
            pattern: { source: ["shop"] },
            targets: [
              { queue: "ordered", messageGroupId: "payments-1" },
              { queue: "audit", messageGroupId: "tenant-a" },
            ],
          },
        },
      }),
    );
    const groups = (name: string) => spec.events?.rules[name]?.targets.map((t) => t.messageGroupId);
    assert.deepEqual(groups("placed"), ["placed", undefined, undefined]);
    assert.deepEqual(groups("paid"), ["payments-1", "tenant-a"]);
  });

  test("refuses a FIFO queue target without content-based deduplication, a bad group id, and a group on a function or bus", () => {
    const issues = issuesOf(
      rule({
        targets: [
          { queue: "ordered" },
          { queue: "audit", messageGroupId: "has space" },
          { function: "bill", messageGroupId: "g" },
          { bus: "orders", messageGroupId: "g" },
        ],
      }),
    );
    assert.deepEqual(
      issues.map((i) => i.path),
      [
        "rules.r.targets[0].queue",
        "rules.r.targets[1].messageGroupId",
        "rules.r.targets[2].messageGroupId",
        "rules.r.targets[3].messageGroupId",
      ],
    );
    assert.match(issues[0]?.message ?? "", /FIFO queue without content-based deduplication/);
    assert.match(issues[0]?.fix ?? "", /contentBasedDeduplication: true on queues\.ordered/);
    assert.match(issues[1]?.allowed ?? "", /1–100 letters, digits and punctuation/);
    assert.match(issues[2]?.message ?? "", /only a queue target takes messageGroupId/);
    const long = issuesOf(rule({ targets: [{ queue: "audit", messageGroupId: "g".repeat(101) }] }));
    assert.equal(long[0]?.path, "rules.r.targets[0].messageGroupId");
    const longest = normaliseApp(rule({ targets: [{ queue: "audit", messageGroupId: "g".repeat(100) }] }));
    assert.equal(longest.events?.rules.r?.targets[0]?.messageGroupId, "g".repeat(100));
  });

  test("type-checks the names a rule uses", () => {
    // The checks are the @ts-expect-error lines below (`npm run typecheck` fails on an unused one);
    // at run time defineApp hands the definition back as written.
    const typed = defineApp({
      name: "typed",
      queues: { audit: {} },
      functions: { bill: { handler: "src/bill.handler", routes: ["orders", "audit"] } },
      buses: { orders: {} },
      rules: {
        ok: {
          bus: "orders",
          pattern: {},
          targets: [{ function: "bill" }, { queue: "audit", messageGroupId: "tenant-a" }, { bus: "default" }],
        },
        // @ts-expect-error: only a queue target takes a message group
        groupOnFunction: { pattern: {}, targets: [{ function: "bill", messageGroupId: "g" }] },
        // @ts-expect-error: "nope" is not a function of this app
        badFunction: { pattern: {}, targets: [{ function: "nope" }] },
        // @ts-expect-error: "other" is not a bus of this app
        badBus: { bus: "other", pattern: {}, targets: [{ queue: "audit" }] },
      },
    });
    assert.deepEqual(typed.rules?.ok?.targets[1], { queue: "audit", messageGroupId: "tenant-a" });
  });
});
