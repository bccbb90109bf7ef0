/**
 * How `sluice traces` lists traces and `sluice trace` draws one: the table's columns, the timeline's
 * order, causal indentation, payloads on one line (whole with --payloads) and logs under invocations.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { causalDepths, formatTimeline, formatTraces, oneLine } from "../../src/cli/commands/trace-format.ts";
import type { Output } from "../../src/cli/output.ts";
import type { TraceHop, TraceSummary, TraceTimeline } from "../../src/local/traces/index.ts";

const plain: Output = { out() {}, err() {}, color: false };
const TRACE = "1-67890abc-0123456789abcdef01234567";
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

function hop(
  seq: number,
  fields: Partial<TraceHop> & Pick<TraceHop, "hopId" | "kind" | "source" | "target">,
): TraceHop {
  return {
    seq,
    traceId: TRACE,
    startMs: T0 + seq * 10,
    durationMs: 5,
    outcome: "success",
    attempt: 1,
    payload: "",
    truncated: false,
    ...fields,
  };
}

const HOPS: TraceHop[] = [
  // Given out of order: the timeline sorts by start.
  hop(3, {
    hopId: "c000000000000003",
    parentId: "b000000000000002",
    kind: "send",
    source: "function:accept",
    target: "queue:orders",
    payload: '{"order":\n  "one"}',
  }),
  hop(1, { hopId: "a000000000000001", kind: "request", source: "client", target: "api:POST /orders" }),
  hop(2, {
    hopId: "b000000000000002",
    parentId: "a000000000000001",
    kind: "invoke",
    source: "api:POST /orders",
    target: "function:accept",
    requestId: "req-accept",
    payload: "x".repeat(300),
  }),
  hop(4, {
    hopId: "d000000000000004",
    parentId: "c000000000000003",
    kind: "invoke",
    source: "queue:orders",
    target: "function:fulfil",
    outcome: "error",
    attempt: 2,
    detail: "Error: failing on purpose",
    requestId: "req-fulfil",
  }),
];

const TIMELINE: TraceTimeline = {
  traceId: TRACE,
  hops: HOPS,
  logs: {
    "req-accept": [{ timestamp: T0 + 21, text: "accepted one\n" }],
    "req-fulfil": [{ timestamp: T0 + 41, text: "fulfilling one" }],
  },
};

describe("sluice trace's timeline", () => {
  test("one line per hop in time order, offsets from the start, indented by causal depth", () => {
    const lines = formatTimeline(plain, TIMELINE);
    assert.equal(lines[0], `trace ${TRACE}  4 hops, took 35 ms, 1 failed`);
    assert.equal(lines[1], "started 2026-12-06T12:00:00.010Z (the local cloud's clock)");
    const hopLines = lines.filter((line) => line.includes(" → "));
    assert.deepEqual(
      hopLines.map((line) => /^(\+\S+) {2}( *)(\S.*? → .+?) {2,}/.exec(line)?.slice(1)),
      [
        ["+0.000s", "", "client → api:POST /orders"],
        ["+0.010s", "  ", "api:POST /orders → function:accept"],
        ["+0.020s", "    ", "function:accept → queue:orders"],
        ["+0.030s", "      ", "queue:orders → function:fulfil"],
      ],
    );
    const last = hopLines[3] ?? "";
    assert.match(last, /invoke\s+error\s+attempt 2\s+5 ms\s+Error: failing on purpose$/);
  });

  test("payloads on one line, cut to 100 characters; logs under their invocation", () => {
    const lines = formatTimeline(plain, TIMELINE);
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    assert.match(lines[at("→ function:accept") + 1] ?? "", /^ +payload x{99}…$/);
    assert.match(lines[at("→ function:accept") + 2] ?? "", /^ +│ accepted one$/);
    assert.match(lines[at("→ queue:orders") + 1] ?? "", /^ +payload \{"order": "one"\}$/);
    assert.match(lines[at("→ function:fulfil") + 1] ?? "", /^ +│ fulfilling one$/);
    // The log sits under the hop's `source → target`, one level deeper.
    const hopLine = lines[at("→ function:fulfil")] ?? "";
    const logLine = lines[at("fulfilling one")] ?? "";
    assert.equal(logLine.indexOf("│"), hopLine.indexOf("queue:orders") + 2);
  });

  test("--payloads shows them whole, on as many lines as they have", () => {
    const lines = formatTimeline(plain, TIMELINE, { payloads: true });
    assert.ok(lines.some((line) => line.endsWith(`payload ${"x".repeat(300)}`)));
    const at = lines.findIndex((line) => line.endsWith('payload {"order":'));
    assert.ok(at > 0, lines.join("\n"));
    assert.match(lines[at + 1] ?? "", /^ + {2}"one"\}$/);
  });

  test("of hops starting in the same millisecond, the cause comes first whatever its seq", () => {
    const invoke = hop(1, {
      hopId: "b000000000000002",
      parentId: "a000000000000001",
      kind: "invoke",
      source: "api:POST /orders",
      target: "function:accept",
      startMs: T0,
    });
    // An API request's hop is recorded once its invocation answered: a later seq, the same start.
    const request = hop(2, {
      hopId: "a000000000000001",
      kind: "request",
      source: "client",
      target: "api:POST /orders",
      startMs: T0,
    });
    const lines = formatTimeline(plain, { traceId: TRACE, hops: [invoke, request], logs: {} });
    assert.deepEqual(
      lines
        .filter((line) => line.includes(" → "))
        .map((line) => /^\+\S+ {2} *(\S.*? → .+?) {2,}/.exec(line)?.[1]),
      ["client → api:POST /orders", "api:POST /orders → function:accept"],
    );
  });

  test("wire text reaches the terminal without its control characters (no escape sequences)", () => {
    const ESC = "\u001b";
    const hostile = {
      traceId: TRACE,
      hops: [
        hop(1, {
          hopId: "a000000000000001",
          kind: "invoke",
          source: "client",
          target: "function:f",
          requestId: "r1",
          payload: `${ESC}]52;c;cGF5bG9hZA==\u0007body\nsecond ${ESC}[2J`,
          detail: `${ESC}[31mboom`,
        }),
      ],
      logs: { r1: [{ timestamp: T0, text: `log ${ESC}]0;title\u0007 \u009b` }] },
    };
    for (const payloads of [false, true]) {
      const text = formatTimeline(plain, hostile, { payloads }).join("\n");
      const control = [...text].filter((c) => {
        const code = c.charCodeAt(0);
        return (code < 0x20 && c !== "\n") || (code >= 0x7f && code <= 0x9f);
      });
      assert.deepEqual(control, [], text);
      assert.match(text, /\\u001b\]52;c;/, "shown escaped, so the reader sees what was sent");
    }
  });

  test("a truncated payload says so", () => {
    const cut = {
      ...TIMELINE,
      hops: [
        hop(1, {
          hopId: "a000000000000001",
          kind: "send",
          source: "client",
          target: "queue:q",
          payload: "abc",
          truncated: true,
        }),
      ],
    };
    assert.ok(
      formatTimeline(plain, cut).some((line) => line.endsWith("payload abc (truncated when recorded)")),
    );
  });

  test("a hop whose parent is not recorded, or a cycle, starts again at depth 0", () => {
    const a = hop(1, {
      hopId: "a000000000000001",
      parentId: "b000000000000002",
      kind: "invoke",
      source: "client",
      target: "function:f",
    });
    const b = hop(2, {
      hopId: "b000000000000002",
      parentId: "a000000000000001",
      kind: "invoke",
      source: "client",
      target: "function:g",
    });
    const orphan = hop(3, {
      hopId: "c000000000000003",
      parentId: "ffffffffffffffff",
      kind: "send",
      source: "client",
      target: "queue:q",
    });
    const depths = causalDepths([a, b, orphan]);
    assert.deepEqual([depths.get(a), depths.get(b), depths.get(orphan)], [1, 0, 0]);
  });
});

describe("sluice traces' table", () => {
  const summary = (fields: Partial<TraceSummary>): TraceSummary => ({
    traceId: TRACE,
    source: "client",
    target: "api:POST /orders",
    startMs: T0,
    durationMs: 1234,
    hops: 4,
    outcome: "success",
    resources: ["client", "api:POST /orders", "function:accept", "queue:orders", "function:fulfil"],
    lastSeq: 4,
    ...fields,
  });

  test("a header and one row per trace in the order given: id, ISO start, duration, hops, outcome", () => {
    const lines = formatTraces(plain, [
      summary({ outcome: "error" }),
      summary({
        traceId: "1-00000000-000000000000000000000000",
        startMs: T0 - 1000,
        hops: 1,
        resources: ["client", "queue:orders"],
        target: "queue:orders",
        durationMs: 0,
      }),
    ]);
    assert.match(lines[0] ?? "", /^TRACE\s+STARTED\s+DURATION\s+HOPS\s+OUTCOME\s+STARTED BY\s+RESOURCES$/);
    assert.match(
      lines[1] ?? "",
      /^1-67890abc-0123456789abcdef01234567 {2}2026-12-06T12:00:00\.000Z {2}1\.23 s\s+4\s+error\s+client → api:POST \/orders\s+client, api:POST \/orders, function:accept, queue:orders \+1$/,
    );
    assert.match(
      lines[2] ?? "",
      /^1-00000000-0{24} {2}2026-12-06T11:59:59\.000Z {2}0 ms\s+1\s+success\s+client → queue:orders\s+client, queue:orders$/,
    );
  });

  test("says so when there are none; a region column only in a multi-region answer", () => {
    assert.deepEqual(formatTraces(plain, []), ["no traces"]);
    const lines = formatTraces(plain, [summary({ region: "us-west-2" })]);
    assert.match(lines[0] ?? "", /RESOURCES\s+REGION$/);
    assert.match(lines[1] ?? "", / +us-west-2$/);
  });

  test("oneLine folds whitespace and cuts with an ellipsis", () => {
    assert.equal(oneLine("a\n  b\tc", 10), "a b c");
    assert.equal(oneLine("abcdef", 4), "abc…");
  });
});
