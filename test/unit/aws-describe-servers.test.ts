import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { appGraph } from "../../src/aws/describe/graph.ts";
import { fleetOutline } from "../../src/aws/describe/graph-servers.ts";
import { layoutGraph } from "../../src/aws/describe/layout.ts";
import { renderDescribeHtml } from "../../src/aws/describe/render-html.ts";
import { synthesize } from "../../src/aws/synth.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp(
  {
    name: "hybrid",
    queues: { jobs: {} },
    functions: {
      api: { handler: "src/api.handler", http: ["GET /hello"] },
      worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
      report: { handler: "src/report.handler" },
    },
    servers: {
      web: { functions: ["api", "worker"], instanceType: "t4g.small", minSize: 2, maxSize: 6, port: 8080 },
      batch: {
        functions: ["report"],
        platform: "fargate",
        task: { cpu: 1024, memoryMb: 2048 },
        loadBalancer: false,
      },
    },
  } as unknown as Parameters<typeof normaliseApp>[0],
  { region: "eu-west-1" },
);

describe("describe: server fleets", () => {
  test("draws a box per fleet naming platform, size and port, with an edge to each function it serves", () => {
    const graph = appGraph(spec);
    const web = graph.nodes.find((n) => n.id === "fleet:web");
    assert.deepEqual(web, {
      id: "fleet:web",
      kind: "fleet",
      label: "web",
      detail: "EC2 t4g.small ×2–6 · :8080",
    });
    const batch = graph.nodes.find((n) => n.id === "fleet:batch");
    assert.equal(batch?.detail, "Fargate 1 vCPU 2 GB ×1 · :8080");
    const edges = graph.edges.filter((e) => e.kind === "runs").map((e) => `${e.from} -> ${e.to}`);
    assert.deepEqual(edges, [
      "fleet:web -> function:api",
      "fleet:web -> function:worker",
      "fleet:batch -> function:report",
    ]);
    const layout = layoutGraph(graph);
    const column = new Map(layout.nodes.map((n) => [n.id, n.column]));
    assert.ok(
      (column.get("fleet:web") ?? 99) < (column.get("function:api") ?? -1),
      "the fleet sits before what it serves",
    );
  });

  test("the page draws the fleets in SVG and counts them", async () => {
    const html = renderDescribeHtml({ spec, template: await synthesize(spec) });
    assert.match(html, /<g class="node node-fleet" data-node-id="fleet:web"/);
    assert.match(html, /data-edge-from="fleet:web" data-edge-to="function:api" data-kind="runs"/);
    assert.match(html, /2 server fleets/);
  });

  test("prints each fleet as text with its size, port, load balancer, role and functions", () => {
    const withRole = normaliseApp(
      {
        name: "hybrid",
        domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
        functions: {
          api: {
            handler: "src/api.handler",
            http: ["GET /hello"],
            health: { path: "/health", route53: true },
          },
        },
        servers: { web: { functions: ["api"], role: "failover", schedules: true } },
      } as unknown as Parameters<typeof normaliseApp>[0],
      { region: "eu-west-1" },
    );
    assert.deepEqual(fleetOutline(spec), [
      "server fleet web: EC2 t4g.small, 2–6 instances, port 8080, behind a load balancer (HTTP 80)\n  serves api, worker",
      "server fleet batch: Fargate 1 vCPU 2 GB, 1–1 tasks, port 8080, no load balancer\n  serves report",
    ]);
    assert.deepEqual(fleetOutline(withRole), [
      "server fleet web: EC2 t4g.small, 1–1 instances, port 8080, behind a load balancer (HTTP 80); failover: takes the domain's traffic when Lambda's health check fails\n  serves api (and their schedules)",
    ]);
  });
});
