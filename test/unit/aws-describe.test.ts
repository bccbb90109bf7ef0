import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { layoutGraph } from "../../src/aws/describe/layout.ts";
import { renderDescribeHtml } from "../../src/aws/describe/render-html.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "web",
  queues: { jobs: { deadLetter: { maxReceiveCount: 2 } } },
  functions: {
    api: { handler: "src/api.handler", http: ["GET /items/{id}", "POST /items"], routes: "work" },
    work: { handler: "src/work.handler", consumes: { queue: "jobs" } },
    chat: { handler: "src/chat.handler" },
  },
  websocket: { routes: { $connect: "chat", $default: "chat" } },
} as Parameters<typeof normaliseApp>[0]);

describe("describe: the application graph", () => {
  test("has a node per component, API and route, and an edge per wire", () => {
    const graph = appGraph(spec);
    assert.deepEqual(
      graph.nodes.map((n) => n.id),
      [
        "queue:jobs",
        "dlq:jobs-dlq",
        "function:api",
        "function:work",
        "function:chat",
        "api:http",
        "route:http:GET /items/{id}",
        "route:http:POST /items",
        "api:websocket",
        "route:websocket:$connect",
        "route:websocket:$default",
      ],
    );
    const edges = graph.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`);
    assert.ok(edges.includes("queue:jobs -dead-letter-> dlq:jobs-dlq"));
    assert.ok(edges.includes("queue:jobs -consumes-> function:work"));
    // `work` consumes `jobs`, so a route to it travels through the queue.
    assert.ok(edges.includes("function:api -routes-> queue:jobs"));
    assert.ok(edges.includes("api:http -serves-> route:http:GET /items/{id}"));
    assert.ok(edges.includes("route:websocket:$default -invokes-> function:chat"));
  });

  test("lays every node out without overlaps, wires left to right", () => {
    const layout = layoutGraph(appGraph(spec));
    const column = new Map(layout.nodes.map((n) => [n.id, n.column]));
    assert.ok((column.get("api:http") ?? 9) < (column.get("route:http:POST /items") ?? 0));
    assert.ok((column.get("route:http:POST /items") ?? 9) < (column.get("function:api") ?? 0));
    assert.ok((column.get("queue:jobs") ?? 9) < (column.get("function:work") ?? 0));
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = a.x + 200 <= b.x || b.x + 200 <= a.x || a.y + 52 <= b.y || b.y + 52 <= a.y;
        assert.ok(apart, `${a.id} and ${b.id} do not overlap`);
      }
    }
  });

  test("renders one self-contained page that escapes what it shows", async () => {
    const html = renderDescribeHtml({ spec, template: await synthesize(spec) });
    assert.doesNotMatch(html, /<script|<link|src=|@import|url\(http/i, "nothing is loaded from elsewhere");
    assert.match(
      html,
      /data-node-id="route:http:GET \/items\/&#123;id&#125;"|data-node-id="route:http:GET \/items\/\{id\}"/,
    );
    assert.match(html, /&#34;Type&#34;: &#34;AWS::Lambda::Function&#34;/);
  });
});
