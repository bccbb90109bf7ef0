/**
 * The drawing the console shows (`renderAppSvg`): each resource node carries `data-resource`, the
 * TraceRef its hops name (local/traces/types.ts), so the page can put counters on the right box.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderAppSvg } from "../../src/aws/describe/render-html.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "shop",
  queues: { jobs: { deadLetter: { maxReceiveCount: 2 } }, audit: {} },
  functions: {
    api: { handler: "src/api.handler", http: ["GET /items/{id}"], routes: "work" },
    work: { handler: "src/work.handler", consumes: { queue: "jobs" } },
    chat: { handler: "src/chat.handler" },
  },
  websocket: { routes: { $connect: "chat" } },
  buses: { orders: {} },
  rules: {
    big: { bus: "orders", pattern: { source: ["shop"] }, targets: [{ queue: "audit" }] },
    placed: { pattern: { source: ["shop"] }, targets: [{ function: "chat" }] },
  },
} as Parameters<typeof normaliseApp>[0]);

/** `data-node-id` → `data-resource` of every node drawn (undefined: none). */
function resources(svg: string): Map<string, string | undefined> {
  const nodes = new Map<string, string | undefined>();
  for (const match of svg.matchAll(
    /<g class="node [^"]*" data-node-id="([^"]*)"( data-resource="([^"]*)")?/g,
  )) {
    nodes.set(match[1] as string, match[3]);
  }
  return nodes;
}

describe("describe's drawing for the console", () => {
  test("names each resource node as its traces do", () => {
    const nodes = resources(renderAppSvg(spec));
    assert.equal(nodes.get("function:api"), "function:api");
    assert.equal(nodes.get("queue:jobs"), "queue:jobs");
    assert.equal(nodes.get("dlq:jobs-dlq"), "queue:jobs-dlq");
    assert.equal(nodes.get("route:http:GET /items/{id}"), "api:GET /items/{id}");
    assert.equal(nodes.get("route:websocket:$connect"), "websocket:$connect");
    assert.equal(nodes.get("bus:orders"), "bus:orders");
    assert.equal(nodes.get("rule:big"), "rule:orders.big");
    assert.equal(nodes.get("rule:placed"), "rule:default.placed");
  });

  test("leaves nodes no trace names without one", () => {
    const nodes = resources(renderAppSvg(spec));
    assert.ok(nodes.has("api:http"));
    assert.equal(nodes.get("api:http"), undefined);
  });

  test("is an SVG document on its own, its names escaped", () => {
    const svg = renderAppSvg(spec);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(!svg.includes("<script"));
  });
});
