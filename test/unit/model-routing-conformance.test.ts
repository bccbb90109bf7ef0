/**
 * One table of routes, run against both transports: the local router in a LocalCloud and the AWS
 * SDK transport against a recording AWS. Both must deliver the same things (same queue, body,
 * group and deduplication ids, delay, invoked function, bus event) because both follow one model
 * decision (src/model/routing/); a rule written twice would show here as a row that differs.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { RouteDelivery } from "../../src/model/app-spec.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import {
  awsSdkTransport,
  type Delivered,
  localTransport,
  type Outcome,
} from "../support/route-transports.ts";

const spec = normaliseApp({
  name: "conform",
  queues: {
    jobs: {},
    ordered: { fifo: true },
    hashed: { fifo: true, contentBasedDeduplication: true },
    audit: {},
    inbox: {},
  },
  functions: {
    take: { handler: "src/take.handler", routes: () => [] },
    worker: { handler: "src/worker.handler", consumes: { queue: "jobs" } },
    sequencer: { handler: "src/sequencer.handler", consumes: { queue: "ordered" } },
    hasher: { handler: "src/hasher.handler", consumes: { queue: "hashed" } },
    notify: { handler: "src/notify.handler" },
    narrow: { handler: "src/narrow.handler", routes: () => [], routesTo: ["audit", "notify"] },
  },
  buses: { orders: {} },
  rules: {
    taken: { bus: "orders", pattern: { source: ["sluice.conform.take"] }, targets: [{ queue: "inbox" }] },
  },
  stateMachines: { fulfil: { definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } } },
});

const transports = {
  local: localTransport(spec, "take", { name: "orders", inbox: "inbox" }),
  aws: awsSdkTransport(spec, "take"),
};

interface Row {
  readonly behaviour: string;
  readonly routes: readonly RouteDelivery[];
  readonly expected: Outcome;
}

const table: readonly Row[] = [
  {
    behaviour: "a function that consumes a queue gets the result through that queue",
    routes: [{ to: "worker", data: { page: 1 } }],
    expected: { delivered: [{ queue: "jobs", body: '{"page":1}' }] },
  },
  {
    behaviour:
      "into a FIFO queue the route's groupId is the group and <requestId>-<index> the deduplication id",
    routes: [
      { to: "sequencer", data: "first", groupId: "site-a" },
      { to: "sequencer", data: "second", groupId: "site-a" },
    ],
    expected: {
      delivered: [
        { queue: "ordered", body: '"first"', groupId: "site-a", deduplicationId: "req-1-0" },
        { queue: "ordered", body: '"second"', groupId: "site-a", deduplicationId: "req-1-1" },
      ],
    },
  },
  {
    behaviour: "a FIFO queue with content-based deduplication gets no deduplication id",
    routes: [{ to: "hasher", data: { same: true }, groupId: "g" }],
    expected: { delivered: [{ queue: "hashed", body: '{"same":true}', groupId: "g" }] },
  },
  {
    behaviour: "a route's own groupId and deduplicationId win, a queue name routes to that queue",
    routes: [
      { to: "ordered", data: 1, groupId: "site-a", deduplicationId: "page-1" },
      { to: "hasher", data: 2, groupId: "site-b", deduplicationId: "explicit" },
    ],
    expected: {
      delivered: [
        { queue: "ordered", body: "1", groupId: "site-a", deduplicationId: "page-1" },
        { queue: "hashed", body: "2", groupId: "site-b", deduplicationId: "explicit" },
      ],
    },
  },
  {
    behaviour:
      "a FIFO route without groupId fails as SendMessage does (MissingParameter), by queue or consumer",
    routes: [{ to: "sequencer", data: 1 }],
    expected: { error: "MissingParameter" },
  },
  {
    behaviour: "a FIFO queue named directly without groupId fails too, whatever its deduplication",
    routes: [{ to: "hashed", data: 1 }],
    expected: { error: "MissingParameter" },
  },
  {
    behaviour: "a standard queue takes the route's delay and ignores a group id",
    routes: [
      { to: "audit", data: "now", groupId: "g" },
      { to: "audit", data: "later", delay: 30 },
    ],
    expected: {
      delivered: [
        { queue: "audit", body: '"now"' },
        { queue: "audit", body: '"later"', delaySeconds: 30 },
      ],
    },
  },
  {
    behaviour: "a function without a queue is invoked asynchronously with the data as its event",
    routes: [
      { to: "notify", data: { to: "ops" } },
      { to: "notify", data: undefined },
    ],
    expected: {
      delivered: [
        { function: "notify", payload: '{"to":"ops"}' },
        { function: "notify", payload: "null" },
      ],
    },
  },
  {
    behaviour: "a bus gets an event from sluice.<app>.<sender>, the data as Detail or wrapped in value",
    routes: [
      { to: "orders", data: { total: 3 } },
      { to: "orders", data: 42 },
    ],
    expected: {
      delivered: [
        { bus: "orders", source: "sluice.conform.take", detailType: "take result", detail: { total: 3 } },
        { bus: "orders", source: "sluice.conform.take", detailType: "take result", detail: { value: 42 } },
      ],
    },
  },
  {
    behaviour: "a state machine starts an execution named <requestId>-<index> with the data as its input",
    routes: [
      { to: "fulfil", data: { order: 1 } },
      { to: "fulfil", data: 2 },
    ],
    expected: {
      delivered: [
        { stateMachine: "fulfil", name: "req-1-0", input: '{"order":1}' },
        { stateMachine: "fulfil", name: "req-1-1", input: "2" },
      ],
    },
  },
  {
    // 262,144 bytes of JSON at most (API_StartExecution.html): two quotes and 262,143 characters is one too many.
    behaviour: "an execution input over StartExecution's 256 KiB fails as StartExecution refuses it",
    routes: [{ to: "fulfil", data: "x".repeat(262_143) }],
    expected: { error: "ValidationException" },
  },
  {
    behaviour: "a delay into a FIFO queue fails as SendMessage refuses it",
    routes: [{ to: "sequencer", data: 1, delay: 5, groupId: "g" }],
    expected: { error: "InvalidParameterValue" },
  },
  {
    behaviour: "a name that is no component fails the delivery",
    routes: [{ to: "nowhere", data: 1 }],
    expected: { error: "unknown target" },
  },
];

/** Targets are sent to in parallel on AWS: compare per target, each in the order given. */
function byTarget(outcome: Outcome): Outcome {
  if ("error" in outcome) return outcome;
  const key = (d: Delivered) =>
    "queue" in d
      ? `q:${d.queue}`
      : "function" in d
        ? `f:${d.function}`
        : "stateMachine" in d
          ? `s:${d.stateMachine}`
          : `b:${d.bus}`;
  const sorted = [...outcome.delivered].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { delivered: sorted };
}

describe("route conformance: the local router and the AWS transport deliver the same", () => {
  for (const row of table) {
    test(row.behaviour, async () => {
      for (const [name, deliver] of Object.entries(transports)) {
        assert.deepEqual(byTarget(await deliver(row.routes)), byTarget(row.expected), `${name} transport`);
      }
    });
  }
});

describe("route conformance: routesTo bounds a routing function on both transports", () => {
  const narrow = {
    local: localTransport(spec, "narrow", { name: "orders", inbox: "inbox" }),
    aws: awsSdkTransport(spec, "narrow"),
  };
  test("a name routesTo lists is delivered", async () => {
    for (const [name, deliver] of Object.entries(narrow)) {
      assert.deepEqual(
        await deliver([{ to: "audit", data: 1 }]),
        { delivered: [{ queue: "audit", body: "1" }] },
        `${name} transport`,
      );
    }
  });
  test("a component of the app that routesTo does not list fails the delivery", async () => {
    for (const [name, deliver] of Object.entries(narrow)) {
      assert.deepEqual(
        await deliver([{ to: "jobs", data: 1 }]),
        { error: "unknown target" },
        `${name} transport`,
      );
    }
  });
});
