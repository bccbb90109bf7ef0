/**
 * What `sluice dev` prints of its server fleets (issue 19): a banner line per fleet, its log lines
 * tagged `[fleet <name>]`, warnings and errors on stderr, debug lines (health pings) not at all;
 * and the failover lines of a one-region app whose fleet sits behind the domain.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fleetBannerLines, printFleetEvent } from "../../src/cli/dev-fleets-output.ts";
import { regionBannerLines } from "../../src/cli/dev-regions-output.ts";
import { printEndpointEvent } from "../../src/cli/endpoint-output.ts";
import type { Output } from "../../src/cli/output.ts";
import type { DevEvent } from "../../src/dev/dev-session.ts";

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, color: false, out: (t) => lines.push(t), err: (t) => errors.push(t) };
}

type Ready = Extract<DevEvent, { type: "ready" }>;
const READY = {
  type: "ready",
  url: "http://127.0.0.1:4000",
  fleets: [{ name: "web", url: "http://127.0.0.1:4100", functions: ["api", "worker"], role: "failover" }],
  failover: {
    domain: { name: "api.example.com", hostedZone: "example.com", routing: "failover" },
    frontDoorUrl: "http://127.0.0.1:4200",
    healthChecks: [
      { region: "eu-west-1", path: "/health", intervalSeconds: 10, failureThreshold: 2 },
      { region: "fleet web", path: "/healthz", intervalSeconds: 10, failureThreshold: 2 },
    ],
    globalTables: [],
    replicationLagMs: 1000,
  },
} as unknown as Ready;

describe("dev's fleet output", () => {
  test("the banner names each fleet's URL, what it serves and its role", () => {
    assert.deepEqual(fleetBannerLines(capture(), READY), [
      "  fleet web         http://127.0.0.1:4100  (sluice serve of api, worker; behind the domain when Lambda's health check fails)",
    ]);
    assert.deepEqual(fleetBannerLines(capture(), { ...READY, fleets: undefined } as unknown as Ready), []);
  });

  test("one region with a fleet behind the domain prints the front door and both checks, no region lines", () => {
    const lines = regionBannerLines(capture(), READY);
    assert.deepEqual(lines, [
      "  front door        http://127.0.0.1:4200  (api.example.com, failover routing: forwards to the API or fleet DNS answers)",
      "  health check      eu-west-1 /health every 10 s, threshold 2",
      "  health check      fleet web /healthz every 10 s, threshold 2",
    ]);
  });

  test("log lines are tagged with the fleet (and function); warnings go to stderr; debug lines are dropped", () => {
    const output = capture();
    const entry = (fields: Record<string, unknown>): DevEvent =>
      ({ type: "fleet-log", fleet: "web", entry: { time: "t", ...fields } }) as DevEvent;
    assert.equal(
      printFleetEvent(output, entry({ level: "info", event: "log", function: "api", message: "hi\n" })),
      true,
    );
    printFleetEvent(
      output,
      entry({ level: "info", event: "request", method: "GET", path: "/who", status: 200, ms: 1.5 }),
    );
    printFleetEvent(
      output,
      entry({ level: "debug", event: "request", method: "GET", path: "/healthz", status: 200, ms: 0.1 }),
    );
    printFleetEvent(output, entry({ level: "warn", event: "discovery", message: "no URL for queue" }));
    assert.deepEqual(output.lines, ["[fleet web api] hi", "[fleet web] GET /who → 200 (1.5 ms)"]);
    assert.deepEqual(output.errors, ["[fleet web] discovery: no URL for queue"]);
    assert.equal(printFleetEvent(output, { type: "reloaded" } as DevEvent), false);
  });

  test("a fleet's IAM denial names the fleet and the functions whose permissions can allow it", () => {
    const output = capture();
    printEndpointEvent(
      output,
      {
        type: "iam-denied",
        mode: "enforce",
        function: "web",
        fleet: { functions: ["api", "worker"] },
        action: "sqs:SendMessage",
        resource: "arn:aws:sqs:eu-west-1:123456789012:shop-audit",
        principal: "arn:aws:sts::123456789012:assumed-role/shop-web-server/web",
        grant: { actions: ["sqs:SendMessage"], resources: ["queue:audit"] },
      },
      "enforce",
    );
    assert.deepEqual(output.errors, [
      "[fleet web] IAM DENIED: sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:shop-audit is not in its permissions",
      '  grant it: functions.api.permissions or functions.worker.permissions (the function that makes the call): [{ actions: ["sqs:SendMessage"], resources: ["queue:audit"] }]',
    ]);
  });
});
