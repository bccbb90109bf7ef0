/**
 * A multi-region `dev`'s trace operations: listings and counters merged over the regions' clouds
 * and tagged with their region, a trace's hops from every region in time order, a replay sent to
 * the region that recorded the hop, and actions on the primary unless they name a region.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { regionTraceOperations } from "../../src/dev/region-trace-operations.ts";
import type { LocalCloud } from "../../src/local/local-cloud.ts";
import type { Operations } from "../../src/local/operations.ts";
import type { TraceHop, TraceSummary } from "../../src/local/traces/index.ts";
import { AwsError } from "../../src/model/errors.ts";

const ID = "1-00000001-000000000000000000000001";
const cloud = (region: string) => ({ spec: { region } }) as unknown as LocalCloud;

const summary = (traceId: string, startMs: number): TraceSummary => ({
  traceId,
  source: "client",
  target: "queue:q",
  startMs,
  durationMs: 1,
  hops: 1,
  outcome: "success",
  resources: ["client", "queue:q"],
  lastSeq: 1,
});
const hop = (hopId: string, startMs: number): TraceHop => ({
  seq: 1,
  traceId: ID,
  hopId,
  kind: "send",
  source: "client",
  target: "queue:q",
  startMs,
  durationMs: 0,
  outcome: "success",
  attempt: 1,
  payload: "",
  truncated: false,
});
const notFound = () => new AwsError("SLUICE_TRACE_NOT_FOUND", "no trace", 404);

/** Each region's operations over a made-up store; `calls` records which region did what. */
function fakeRegions(regions: readonly string[]) {
  const calls: string[] = [];
  const data: Record<string, { traces: TraceSummary[]; hops: TraceHop[] }> = {
    "us-east-1": { traces: [summary("1-a", 10), summary("1-c", 30)], hops: [hop("b000000000000000", 20)] },
    "us-west-2": { traces: [summary("1-b", 20)], hops: [hop("a000000000000000", 10)] },
  };
  const regionOps = (region: string | undefined): Operations => {
    const name = region ?? "us-east-1";
    const own = data[name] ?? { traces: [], hops: [] };
    return {
      traces: async (query) => {
        calls.push(`traces ${name} ${query.afterSeq ?? "-"}`);
        return own.traces;
      },
      trace: async () => {
        if (own.hops.length === 0) throw notFound();
        return { traceId: ID, hops: own.hops, logs: { [`req-${name}`]: [{ timestamp: 1, text: name }] } };
      },
      counters: async () => [{ resource: "queue:q", depth: name.length }],
      purge: async () => {
        calls.push(`purge ${name}`);
        return { purged: 0 };
      },
      putEvent: async () => {
        calls.push(`put ${name}`);
        return { eventId: "e" };
      },
      replay: async () => {
        calls.push(`replay ${name}`);
        if (name !== "us-west-2") throw notFound();
        return { traceId: "1-new" };
      },
      triggerSchedule: async () => {
        calls.push(`trigger ${name}`);
        return { traceId: "1-t" };
      },
    } as Partial<Operations> as Operations;
  };
  return { calls, ops: regionTraceOperations(() => regions.map(cloud), regionOps) };
}

describe("a multi-region dev's trace operations", () => {
  test("merges listings newest first, tagged with their region, to the limit", async () => {
    const { ops } = fakeRegions(["us-east-1", "us-west-2"]);
    const traces = await ops.traces({ limit: 2 });
    assert.deepEqual(
      traces.map((t) => [t.traceId, t.region]),
      [
        ["1-c", "us-east-1"],
        ["1-b", "us-west-2"],
      ],
    );
  });

  test("a seq cursor (the primary's /changes cursor) filters the primary only", async () => {
    // Each region numbers its hops in its own store: the primary's seq says nothing of another's.
    const { ops, calls } = fakeRegions(["us-east-1", "us-west-2"]);
    await ops.traces({ afterSeq: 7 });
    assert.deepEqual(calls, ["traces us-east-1 7", "traces us-west-2 -"]);
  });

  test("one region's answers are not tagged", async () => {
    const { ops } = fakeRegions(["us-east-1"]);
    assert.equal((await ops.traces({}))[0]?.region, undefined);
    assert.equal((await ops.counters())[0]?.region, undefined);
  });

  test("a trace's hops from every region in time order, with every region's logs", async () => {
    const { ops } = fakeRegions(["us-east-1", "us-west-2"]);
    const timeline = await ops.trace(ID);
    assert.deepEqual(
      timeline.hops.map((h) => [h.hopId, h.region]),
      [
        ["a000000000000000", "us-west-2"],
        ["b000000000000000", "us-east-1"],
      ],
    );
    assert.deepEqual(Object.keys(timeline.logs).sort(), ["req-us-east-1", "req-us-west-2"]);
  });

  test("counters from every region, each tagged", async () => {
    const { ops } = fakeRegions(["us-east-1", "us-west-2"]);
    assert.deepEqual(
      (await ops.counters()).map((c) => c.region),
      ["us-east-1", "us-west-2"],
    );
  });

  test("a replay goes to the region that has the hop; actions to the primary or the named region", async () => {
    const { ops, calls } = fakeRegions(["us-east-1", "us-west-2"]);
    assert.deepEqual(await ops.replay({ traceId: ID, hopId: "a000000000000000" }), { traceId: "1-new" });
    await ops.purge("q");
    await ops.triggerSchedule("s");
    await ops.putEvent({ bus: "default", source: "s", detailType: "d", detail: "{}" });
    await ops.putEvent({ bus: "default", source: "s", detailType: "d", detail: "{}", region: "us-west-2" });
    assert.deepEqual(calls, [
      "replay us-east-1",
      "replay us-west-2",
      "purge us-east-1",
      "trigger us-east-1",
      "put us-east-1",
      "put us-west-2",
    ]);
  });

  test("an unknown trace in every region is not found", async () => {
    const { ops } = fakeRegions(["eu-west-1"]);
    await assert.rejects(ops.trace(ID), { code: "SLUICE_TRACE_NOT_FOUND" });
    await assert.rejects(ops.replay({ traceId: ID, hopId: "a000000000000000" }), {
      code: "SLUICE_TRACE_NOT_FOUND",
    });
  });
});
