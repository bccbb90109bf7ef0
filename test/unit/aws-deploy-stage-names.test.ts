import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkStageName,
  parseRegions,
  physicalStage,
  stackTags,
  stageStackName,
} from "../../src/aws/deploy/stage.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { ConfigError } from "../../src/model/config-error.ts";
import { stackName } from "../../src/model/naming.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const APP = {
  name: "shop",
  queues: { orders: { deadLetter: { maxReceiveCount: 3 } }, audit: { fifo: true } },
  functions: {
    bill: { handler: "src/bill.handler", http: ["GET /bills"] },
    talk: { handler: "src/ws.talk" },
  },
  buses: { events: {} },
  rules: { placed: { bus: "events", pattern: { source: ["shop"] }, targets: [{ queue: "orders" }] } },
  schedules: { nightly: { expression: "rate(1 day)", target: { function: "bill" } } },
  websocket: { routes: { $default: "talk" } },
};

describe("staged physical names", () => {
  test("qualifies every physical name and the stack with the stage", async () => {
    const spec = normaliseApp(APP, { stage: "prod" });
    assert.equal(spec.name, "shop");
    assert.equal(spec.stage, "prod");
    assert.equal(stackName(spec), "shop-prod");
    assert.equal(spec.functions.bill?.functionName, "shop-prod-bill");
    assert.equal(spec.queues.orders?.queueName, "shop-prod-orders");
    assert.equal(spec.queues["orders-dlq"]?.queueName, "shop-prod-orders-dlq");
    assert.equal(spec.queues.audit?.queueName, "shop-prod-audit.fifo");
    assert.equal(spec.events?.buses.events?.eventBusName, "shop-prod-events");
    assert.equal(spec.events?.rules.placed?.ruleName, "shop-prod-placed");
    assert.equal(spec.schedules?.nightly?.scheduleName, "shop-prod-nightly");
    const template = JSON.stringify(await synthesize(spec));
    assert.match(template, /"Name":"shop-prod-http"/);
    assert.match(template, /"Name":"shop-prod-websocket"/);
    assert.match(template, /"LogGroupName":"\/aws\/lambda\/shop-prod-bill"/);
    // Every physical name of the app carries the stage: no unstaged "shop-<name>" remains.
    assert.doesNotMatch(
      template.replaceAll("shop-prod-", ""),
      /"shop-(bill|talk|orders|audit|events|placed|nightly|http|websocket)/,
    );
  });

  test("without a stage keeps today's names (dev, build, synth)", () => {
    const spec = normaliseApp(APP);
    assert.equal(spec.stage, undefined);
    assert.equal(stackName(spec), "shop");
    assert.equal(spec.functions.bill?.functionName, "shop-bill");
    assert.equal(spec.events?.buses.events?.eventBusName, "shop-events");
  });

  test("checks the staged names' lengths against AWS's limits", () => {
    const stage = "s".repeat(60);
    assert.throws(
      () => normaliseApp({ name: "shop", functions: { bill: { handler: "src/bill.handler" } } }, { stage }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /shop-s+-bill" is 70 characters, above AWS's limit of 64/.test(error.message),
    );
    assert.doesNotThrow(() =>
      normaliseApp(
        { name: "shop", functions: { bill: { handler: "src/bill.handler" } } },
        { stage: "s".repeat(50) },
      ),
    );
  });

  test("rejects a stage with characters physical names cannot hold, or a stack name over 128 characters", () => {
    assert.throws(
      () => normaliseApp(APP, { stage: "my_stage" }),
      /options.stage.*letters, digits and inner hyphens/s,
    );
    assert.throws(() => normaliseApp(APP, { stage: "-dev" }), ConfigError);
    assert.throws(
      () => normaliseApp({ name: "a", functions: {} }, { stage: "x".repeat(127) }),
      /above CloudFormation's limit of 128/,
    );
  });
});

describe("stages, generations and regions", () => {
  test("names generation 1 after the stage and later generations with -g<N>", () => {
    assert.equal(physicalStage("prod", 1), "prod");
    assert.equal(physicalStage("prod", 3), "prod-g3");
    assert.equal(stageStackName("shop", "prod", 1), "shop-prod");
    assert.equal(stageStackName("shop", "prod", 2), "shop-prod-g2");
    assert.deepEqual(stackTags("shop", "prod", 2), [
      { Key: "sluice:app", Value: "shop" },
      { Key: "sluice:stage", Value: "prod" },
      { Key: "sluice:generation", Value: "2" },
    ]);
  });

  test("keeps -g<digits> stage names for generations", () => {
    assert.throws(() => checkStageName("prod-g2"), /keeps for switchover generations/);
    assert.doesNotThrow(() => checkStageName("prod-green"));
  });

  test("parses a comma-separated region list, dropping blanks and duplicates", () => {
    assert.deepEqual(parseRegions("us-east-1"), ["us-east-1"]);
    assert.deepEqual(parseRegions("us-east-1, eu-west-2,,us-east-1"), ["us-east-1", "eu-west-2"]);
    assert.throws(() => parseRegions(""), /at least one Region/);
    assert.throws(() => parseRegions("us-east-1,Europe"), /"Europe" is not an AWS Region code/);
  });
});
