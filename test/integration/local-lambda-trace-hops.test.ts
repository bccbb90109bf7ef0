import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { LambdaError } from "../../src/local/lambda/index.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import {
  childHeader,
  newTraceHeader,
  parentOf,
  TRACES_FILE,
  type TraceHop,
  TraceStore,
  traceRootOf,
} from "../../src/local/traces/index.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { type Bundles, buildFixtures, createHarness, type Harness, parse } from "../support/lambda-rig.ts";
import { functionSpec } from "../support/specs.ts";
import { type TempDir, tempDir } from "../support/temp.ts";

const GIVEN = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0";

let bundles: Bundles;
before(async () => {
  bundles = await buildFixtures(["echo", "failures"]);
});
after(() => bundles.cleanup());

describe("each invocation is a hop of its trace", { timeout: 120_000 }, () => {
  let clock: ManualClock;
  let temp: TempDir;
  let db: Db;
  let traces: TraceStore;
  let harness: Harness;
  let gate: HoldGate;

  before(async () => {
    clock = new ManualClock();
    temp = tempDir("sluice-lambda-trace-");
    db = openStore(join(temp.dir, "state.sqlite"));
    traces = new TraceStore({ file: join(temp.dir, TRACES_FILE), clock });
    gate = await HoldGate.open();
    harness = createHarness(
      clock,
      [functionSpec("echo"), functionSpec("failures"), functionSpec("off", { reservedConcurrency: 0 })],
      {
        echo: { file: bundles.file("echo"), exportName: "echo" },
        failures: { file: bundles.file("failures"), exportName: "handler" },
        off: { file: bundles.file("echo"), exportName: "echo" },
      },
      { tracer: traces },
    );
    harness.service.onLog((line) => traces.log(line));
  });
  after(async () => {
    await harness.close();
    await gate.close();
    traces.close();
    db.close();
    temp.cleanup();
  });

  /** The one hop of `traceId` (throws when there is not exactly one). */
  function onlyHop(traceId: string): TraceHop {
    const hops = traces.timeline(traceId)?.hops ?? [];
    assert.equal(hops.length, 1, `one hop in ${traceId}: ${JSON.stringify(hops)}`);
    return hops[0] as TraceHop;
  }

  test("an invoke with a header continues its Root, and its hop's parent is the header's Parent", async () => {
    const payload = JSON.stringify({ site: "example.com" });
    const result = await harness.service.invoke("echo", {
      payload,
      traceHeader: GIVEN,
      source: "queue:pages",
      attempt: 2,
    });
    assert.equal(traceRootOf(result.traceHeader), traceRootOf(GIVEN));
    assert.notEqual(parentOf(result.traceHeader), parentOf(GIVEN));
    const env = parse(result.payload).env as Record<string, string>;
    assert.equal(env._X_AMZN_TRACE_ID, result.traceHeader, "the function runs under the hop's header");
    const hop = onlyHop(traceRootOf(GIVEN) as string);
    assert.equal(hop.kind, "invoke");
    assert.equal(hop.hopId, parentOf(result.traceHeader));
    assert.equal(hop.parentId, parentOf(GIVEN));
    assert.equal(hop.source, "queue:pages");
    assert.equal(hop.target, "function:echo");
    assert.equal(hop.outcome, "success");
    assert.equal(hop.attempt, 2);
    assert.equal(hop.payload, payload);
    assert.equal(hop.requestId, result.requestId);
    assert.equal(hop.startMs, clock.now());
    const logs = traces.timeline(hop.traceId)?.logs[result.requestId]?.map((l) => l.text) ?? [];
    assert.ok(logs[0]?.startsWith("START RequestId:"), logs.join("\n"));
    assert.ok(logs.some((text) => text.startsWith("REPORT RequestId:")));
  });

  test("an invoke without a header starts a trace, caused by a client", async () => {
    const result = await harness.service.invoke("echo", { payload: "{}" });
    const hop = onlyHop(traceRootOf(result.traceHeader) as string);
    assert.equal(hop.source, "client");
    assert.equal(hop.parentId, undefined);
    assert.equal(hop.attempt, 1);
  });

  test("a batch's invocation is the same hop in each trace its messages came from", async () => {
    const first = childHeader(newTraceHeader(clock.now()));
    const second = childHeader(newTraceHeader(clock.now()));
    const result = await harness.service.invoke("echo", {
      payload: "{}",
      traceHeader: first,
      linkedHeaders: [first, second, second],
      source: "queue:pages",
    });
    const own = onlyHop(traceRootOf(first) as string);
    const linked = onlyHop(traceRootOf(second) as string);
    assert.equal(own.hopId, parentOf(result.traceHeader));
    assert.equal(linked.hopId, own.hopId);
    assert.equal(linked.parentId, parentOf(second));
    assert.equal(linked.requestId, result.requestId);
  });

  test("a function error is an error hop with Lambda's errorType and errorMessage", async () => {
    const result = await harness.service.invoke("failures", { payload: JSON.stringify({ action: "throw" }) });
    const hop = onlyHop(traceRootOf(result.traceHeader) as string);
    assert.equal(hop.outcome, "error");
    assert.equal(hop.detail, "TypeError: bad input");
    assert.deepEqual(
      traces
        .list({ failed: true })
        .map((s) => s.traceId)
        .includes(hop.traceId),
      true,
    );
  });

  test("an invocation past its timeout is a timeout hop lasting the timeout on the clock", async () => {
    await harness.service.invoke("echo", { payload: "{}" });
    const pending = harness.service.invoke("echo", { payload: JSON.stringify({ gate: gate.url }) });
    await gate.arrived(1);
    await clock.advance(3000);
    const result = await pending;
    const hop = onlyHop(traceRootOf(result.traceHeader) as string);
    assert.equal(hop.outcome, "timeout");
    assert.equal(hop.durationMs, 3000);
    assert.match(hop.detail ?? "", /^Sandbox\.Timedout: RequestId: .* Task timed out after 3\.00 seconds$/);
  });

  test("a throttled invoke is a throttled hop, and a refused one an error hop", async () => {
    const header = newTraceHeader(clock.now());
    await assert.rejects(
      harness.service.invoke("off", { payload: "{}", traceHeader: header }),
      (error) => error instanceof LambdaError && error.statusCode === 429,
    );
    const throttled = onlyHop(traceRootOf(header) as string);
    assert.equal(throttled.outcome, "throttled");
    assert.equal(throttled.target, "function:off");
    assert.equal(throttled.parentId, parentOf(header));
    assert.match(throttled.detail ?? "", /^TooManyRequestsException: /);

    const missing = newTraceHeader(clock.now());
    await assert.rejects(harness.service.invoke("nope", { payload: "{}", traceHeader: missing }));
    const refused = onlyHop(traceRootOf(missing) as string);
    assert.equal(refused.outcome, "error");
    assert.equal(refused.target, "function:nope");
    assert.match(refused.detail ?? "", /^ResourceNotFoundException: /);
    assert.deepEqual(traces.invocationCounts().get("off"), undefined, "a throttle is no invocation");
  });
});
