/**
 * Custom bus names: CreateEventBus takes `[/\.\-_A-Za-z0-9]+`, but "custom event bus names can't
 * contain the / character" (only partner buses may), so a definition's bus may not either.
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normaliseApp } from "../../src/model/normalise.ts";
import { issuesOf } from "../support/model-validate.ts";

const app = (bus: string) => ({
  name: "shop",
  functions: { bill: { handler: "src/bill.handler" } },
  buses: { [bus]: {} },
});

describe("custom bus names", () => {
  test("refuses a slash", () => {
    const issues = issuesOf(app("orders/eu"));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, "buses.orders/eu");
    assert.match(issues[0]?.allowed ?? "", /no slashes/);
  });

  test("accepts letters, digits, dots, hyphens and underscores", () => {
    assert.equal(
      normaliseApp(app("orders.eu-1_b")).events?.buses["orders.eu-1_b"]?.eventBusName,
      "shop-orders.eu-1_b",
    );
  });
});
