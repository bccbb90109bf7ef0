/**
 * The console's long poll (local/console/changes.ts) over a store held in memory: what it answers
 * at once, what wakes it, and that neither the end of its wait nor a client leaving leaves a
 * listener on the store. Its 20 s of real time run on node:test's mock timers.
 */
import assert from "node:assert/strict";
import { describe, mock, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import {
  CHANGES_MAX_HOPS,
  CHANGES_WAIT_MS,
  changesAfter,
  changesSince,
  type HopSource,
  waitForChanges,
} from "../../src/local/console/index.ts";
import { TRACES_FILE, type TraceHop, TraceStore, type TraceSummary } from "../../src/local/traces/index.ts";
import { tempDir } from "../support/temp.ts";

/** A store in memory: hops by seq, each its own trace, and the listeners it holds. */
class MemorySource implements HopSource {
  readonly hops: TraceHop[] = [];
  readonly listeners = new Set<(hop: TraceHop) => void>();

  add(target: string): TraceHop {
    const seq = this.hops.length + 1;
    const hop: TraceHop = {
      seq,
      traceId: `1-00000000-${String(seq).padStart(24, "0")}`,
      hopId: String(seq).padStart(16, "0"),
      kind: "send",
      source: "client",
      target,
      startMs: seq,
      durationMs: 0,
      outcome: "success",
      attempt: 1,
      payload: "{}",
      truncated: false,
    };
    this.hops.push(hop);
    for (const listener of this.listeners) listener(hop);
    return hop;
  }
  latestSeq(): number {
    return this.hops.length;
  }
  onHop(listener: (hop: TraceHop) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  list(query: { afterSeq?: number }): TraceSummary[] {
    return this.hops
      .filter((hop) => hop.seq > (query.afterSeq ?? 0))
      .reverse()
      .map((hop) => ({
        traceId: hop.traceId,
        source: hop.source,
        target: hop.target,
        startMs: hop.startMs,
        durationMs: 0,
        hops: 1,
        outcome: "success",
        resources: [hop.source, hop.target],
        lastSeq: hop.seq,
      }));
  }
  timeline(traceId: string) {
    return { traceId, hops: this.hops.filter((hop) => hop.traceId === traceId), logs: {} };
  }
}

const open = () => new AbortController().signal;

describe("the console's changes", () => {
  test("reads `after` as a hop's seq, 0 when absent, and refuses anything else", () => {
    assert.equal(changesAfter(new URLSearchParams("after=42")), 42);
    assert.equal(changesAfter(new URLSearchParams("")), 0);
    for (const bad of ["-1", "1.5", "x", "1e3", "99999999999999999"]) {
      assert.throws(() => changesAfter(new URLSearchParams({ after: bad })), {
        code: "InvalidParameterValue",
      });
    }
  });

  test("answers the hops newer than `after`, oldest first, through the listing", () => {
    const source = new MemorySource();
    for (const target of ["queue:a", "queue:b", "queue:c"]) source.add(target);
    const answer = changesSince(source, 1);
    assert.deepEqual(
      answer.hops.map((hop) => hop.target),
      ["queue:b", "queue:c"],
    );
    assert.equal(answer.seq, 3);
  });

  test("carries at most CHANGES_MAX_HOPS, with the cursor at the last one it carries", () => {
    const source = new MemorySource();
    for (let i = 0; i < CHANGES_MAX_HOPS + 20; i++) source.add(`queue:q${i}`);
    const first = changesSince(source, 0);
    assert.equal(first.hops.length, CHANGES_MAX_HOPS);
    assert.equal(first.seq, CHANGES_MAX_HOPS);
    const rest = changesSince(source, first.seq);
    assert.equal(rest.hops.length, 20);
    assert.equal(rest.seq, CHANGES_MAX_HOPS + 20);
  });

  test("uses the store's own read of hops after a seq when it has one", () => {
    const source = new MemorySource();
    source.add("queue:a");
    source.add("queue:b");
    const withRead: HopSource = {
      latestSeq: () => source.latestSeq(),
      onHop: (listener) => source.onHop(listener),
      list: () => assert.fail("the listing is not needed"),
      timeline: () => assert.fail("timelines are not needed"),
      hopsAfter: (afterSeq, limit) => source.hops.filter((hop) => hop.seq > afterSeq).slice(0, limit),
    };
    assert.deepEqual(
      changesSince(withRead, 1).hops.map((hop) => hop.target),
      ["queue:b"],
    );
  });

  test("answers at once without listening when hops are newer", async () => {
    const source = new MemorySource();
    source.add("queue:a");
    const answer = await waitForChanges(source, 0, { signal: open() });
    assert.equal(answer.hops.length, 1);
    assert.equal(source.listeners.size, 0);
  });

  test("wakes on the next hop recorded, and lets go of the store", async () => {
    // Time stands still: only the hop can end the wait.
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const source = new MemorySource();
      source.add("queue:a");
      const waiting = waitForChanges(source, 1, { signal: open() });
      assert.equal(source.listeners.size, 1);
      source.add("queue:b");
      const answer = await waiting;
      assert.deepEqual(
        answer.hops.map((hop) => hop.target),
        ["queue:b"],
      );
      assert.equal(answer.seq, 2);
      assert.equal(source.listeners.size, 0);
    } finally {
      mock.timers.reset();
    }
  });

  test("answers with no hops after CHANGES_WAIT_MS of quiet, and lets go of the store", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const source = new MemorySource();
      const waiting = waitForChanges(source, 0, { signal: open() });
      mock.timers.tick(CHANGES_WAIT_MS - 1);
      assert.equal(source.listeners.size, 1, "still waiting just before the end");
      mock.timers.tick(1);
      assert.deepEqual(await waiting, { seq: 0, hops: [] });
      assert.equal(source.listeners.size, 0);
    } finally {
      mock.timers.reset();
    }
  });

  test("a store that can no longer be read (its cloud reopened) fails the wait, not the process", async () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const source = new MemorySource();
      const waiting = waitForChanges(source, 0, { signal: open() });
      source.latestSeq = () => {
        throw new Error("The database connection is not open");
      };
      mock.timers.tick(CHANGES_WAIT_MS);
      await assert.rejects(waiting, /not open/);
      assert.equal(source.listeners.size, 0);
    } finally {
      mock.timers.reset();
    }
  });

  test("a waiting request answers when its store closes (a reload), not after its wait", async (t) => {
    const temp = tempDir("sluice-changes-");
    t.after(() => temp.cleanup());
    const store = new TraceStore({ file: `${temp.dir}/${TRACES_FILE}`, clock: new ManualClock(0) });
    // No mock timers: were the close not heard, the wait would outlive the test and fail it.
    const waiting = waitForChanges(store, store.latestSeq(), { signal: open(), waitMs: 3_600_000 });
    store.close();
    assert.deepEqual(await waiting, { seq: 0, hops: [] });
  });

  test("ends the wait when the client goes away, leaving no listener", async () => {
    const source = new MemorySource();
    const gone = new AbortController();
    const waiting = waitForChanges(source, 0, { signal: gone.signal });
    assert.equal(source.listeners.size, 1);
    gone.abort();
    assert.deepEqual(await waiting, { seq: 0, hops: [] });
    assert.equal(source.listeners.size, 0);
  });
});
