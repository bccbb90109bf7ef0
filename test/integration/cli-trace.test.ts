/**
 * `sluice traces` and `sluice trace <id>` as a user runs them: real CLI processes against a real
 * `sluice dev` process of the trace-cli fixture, then, with dev stopped, on the app's state file.
 * An HTTP request → accept → orders → fulfil chain is one trace whose hops the timeline shows in
 * order; `--failed` lists only the chain whose fulfil threw.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { TraceSummary, TraceTimeline } from "../../src/local/traces/index.ts";
import { type DevProcess, sluice, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/trace-cli", import.meta.url));

describe("sluice traces and sluice trace", { timeout: 170_000 }, () => {
  let app: TempDir;
  let dev: DevProcess | undefined;
  let dir: string[];
  let good: TraceSummary;
  let bad: TraceSummary;

  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await sluice([...args, "--json", ...dir]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as T;
  };

  before(async () => {
    app = copyApp(FIXTURE, "sluice-cli-trace-");
    dir = ["--dir", app.dir];
    dev = await startDev(app.dir);
    const line = await dev.waitForLine(/^ {2}HTTP API\s+http:\/\/127\.0\.0\.1:\d+/);
    const api = /(http:\/\/\S+)/.exec(line)?.[1] ?? "";
    for (const order of ["order good", "order fail"]) {
      const res = await fetch(`${api}/orders`, { method: "POST", body: order });
      assert.equal(res.status, 200, await res.text());
    }
    // Both chains reach fulfil; the second's invocation fails.
    const chains = await eventually(
      async () => {
        const traces = await json<TraceSummary[]>("traces");
        const done = traces.filter((t) => t.resources.includes("function:fulfil"));
        return done.length === 2 && done.some((t) => t.outcome === "error") ? done : undefined;
      },
      "both chains to reach fulfil",
      { detail: () => dev?.lines.slice(-20).join("\n") ?? "" },
    );
    bad = chains.find((t) => t.outcome === "error") as TraceSummary;
    good = chains.find((t) => t.outcome === "success") as TraceSummary;
    assert.ok(bad && good, JSON.stringify(chains));
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("traces lists both chains newest first, each started by the HTTP request", async () => {
    const traces = await json<TraceSummary[]>("traces");
    const ids = traces.map((t) => t.traceId);
    assert.ok(ids.indexOf(bad.traceId) < ids.indexOf(good.traceId), "the failing chain was sent second");
    for (const trace of [good, bad]) {
      assert.equal(trace.source, "client");
      assert.equal(trace.target, "api:POST /orders");
      for (const ref of ["function:accept", "queue:orders", "function:fulfil"])
        assert.ok(trace.resources.includes(ref), ref);
    }
    const text = await sluice(["traces", ...dir]);
    assert.equal(text.code, 0, text.stderr);
    const [header, ...rows] = text.stdout.trimEnd().split("\n");
    assert.match(header ?? "", /^TRACE\s+STARTED\s+DURATION\s+HOPS\s+OUTCOME\s+STARTED BY\s+RESOURCES$/);
    const row = rows.find((r) => r.startsWith(good.traceId)) ?? "";
    assert.match(
      row,
      /^1-\S+ {2}\d{4}-\d\d-\d\dT\S+Z {2}\S+ m?s\s+\d+\s+success\s+client → api:POST \/orders\s+/,
    );
  });

  test("--failed lists the failing chain only; --resource and --limit narrow the list", async () => {
    const failed = await json<TraceSummary[]>("traces", "--failed");
    assert.deepEqual(
      failed.map((t) => t.traceId),
      [bad.traceId],
    );
    const limited = await json<TraceSummary[]>("traces", "--resource", "function:fulfil", "--limit", "1");
    assert.deepEqual(
      limited.map((t) => t.traceId),
      [bad.traceId],
    );
    const recent = await json<TraceSummary[]>("traces", "--since", "1h");
    assert.ok(recent.some((t) => t.traceId === good.traceId));
  });

  test("trace <id> shows the hops in order: request, accept, orders, fulfil, with fulfil's log", async () => {
    const timeline = await json<TraceTimeline>("trace", good.traceId);
    const hops = timeline.hops.map((h) => `${h.kind} ${h.source} → ${h.target}`);
    assert.deepEqual(hops, [
      "request client → api:POST /orders",
      "invoke api:POST /orders → function:accept",
      "send function:accept → queue:orders",
      "invoke queue:orders → function:fulfil",
    ]);
    const text = await sluice(["trace", good.traceId, ...dir]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split("\n");
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const order = [
      at(/^\+0\.000s +client → api:POST \/orders +request +success/),
      at(/^\+\S+ +api:POST \/orders → function:accept +invoke +success/),
      at(/^\+\S+ +function:accept → queue:orders +send +success/),
      at(/^\+\S+ +queue:orders → function:fulfil +invoke +success/),
      at(/│ .*fulfilling \{"order":"order good"\}/),
    ];
    assert.ok(
      order.every((i, n) => i > (order[n - 1] ?? -1)),
      `${order}\n${text.stdout}`,
    );
    // Indented by causal depth: each hop one level under the one before.
    const starts = ["client → ", "api:POST /orders → ", "function:accept → ", "queue:orders → "];
    const indents = starts.map((start, n) => (lines[order[n] ?? -1] ?? "").indexOf(start));
    assert.deepEqual(
      indents.map((n) => n - (indents[0] ?? 0)),
      [0, 2, 4, 6],
      text.stdout,
    );

    const failing = await sluice(["trace", bad.traceId, ...dir]);
    assert.match(failing.stdout, /queue:orders → function:fulfil +invoke +error .*failing on purpose/);
  });

  test("an unknown or malformed id exits 1 with a clear message", async () => {
    const unknown = await sluice(["trace", "1-00000000-000000000000000000000000", ...dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: no trace 1-00000000-0{24} is recorded \(sluice traces lists/m);
    const malformed = await sluice(["trace", "nope", ...dir]);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /"nope" is not a trace id \(a trace id, 1-<8 hex>-<24 hex>\)/);
    const usage = await sluice(["traces", "--limit", "0", ...dir]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--limit takes a whole number from 1 to 1000; got "0"/);
  });

  test("without a running dev, both read the app's state file", async () => {
    await dev?.stop();
    dev = undefined;
    const traces = await json<TraceSummary[]>("traces", "--failed");
    assert.deepEqual(
      traces.map((t) => t.traceId),
      [bad.traceId],
    );
    const timeline = await json<TraceTimeline>("trace", good.traceId);
    assert.equal(timeline.hops.length, 4);
    const unknown = await sluice(["trace", "1-00000000-000000000000000000000000", ...dir]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no trace 1-00000000-0{24} is recorded/);
  });
});
