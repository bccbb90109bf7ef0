/**
 * `GET /_sluice/changes` (the console's live updates) on a real endpoint on 127.0.0.1 over a real
 * trace store on SQLite: it answers at once when hops are newer than `after`, holds the request
 * until a hop is recorded otherwise, needs the session's token, and a client that goes away leaves
 * no listener on the store. Waits are driven by recording hops, never by sleeping.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { CHANGES_WAIT_MS, type HopSource } from "../../src/local/console/index.ts";
import { type EndpointServer, startEndpoint } from "../../src/local/endpoint/endpoint-server.ts";
import type { Operations } from "../../src/local/operations.ts";
import { type Db, openStore } from "../../src/local/store/index.ts";
import type { TraceHop } from "../../src/local/traces/index.ts";
import { newTraceHeader } from "../../src/local/traces/trace-header.ts";
import { TRACES_FILE, TraceStore } from "../../src/local/traces/trace-store.ts";
import { eventually } from "../support/poll.ts";
import { tempDir } from "../support/temp.ts";

interface Changes {
  readonly seq: number;
  readonly hops: readonly TraceHop[];
}

describe("GET /_sluice/changes: the console's long poll", () => {
  const temp = tempDir("sluice-changes-");
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let db: Db;
  let store: TraceStore;
  let server: EndpointServer;
  /** Listeners the long poll holds on the store now. */
  let listening = 0;

  const record = (target: string) =>
    store.record({
      header: newTraceHeader(clock.now()),
      kind: "send",
      source: "client",
      target,
      startMs: clock.now(),
      durationMs: 0,
      outcome: "success",
      payload: `{"to":"${target}"}`,
    });
  const changes = (query: string, init: RequestInit = {}) =>
    fetch(`${server.url}/_sluice/changes${query}`, {
      ...init,
      headers: { authorization: `Bearer ${server.controlToken}` },
    });

  before(async () => {
    db = openStore(join(temp.dir, "state.sqlite"));
    store = new TraceStore({ file: join(temp.dir, TRACES_FILE), clock });
    // The store as the endpoint sees it, counting the listeners the long poll holds.
    const source: HopSource = {
      latestSeq: () => store.latestSeq(),
      list: (query) => store.list(query),
      timeline: (traceId) => store.timeline(traceId),
      onHop(listener) {
        listening++;
        const off = store.onHop(listener);
        return () => {
          listening--;
          off();
        };
      },
    };
    server = await startEndpoint({ ops: {} as Operations, changes: () => source });
  });

  after(async () => {
    await server.close();
    store.close();
    db.close();
    temp.cleanup();
  });

  test("answers at once with the hops newer than `after`, oldest first", async () => {
    const start = store.latestSeq();
    record("queue:first");
    record("queue:second");
    const res = await changes(`?after=${start}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Changes;
    assert.deepEqual(
      body.hops.map((hop) => hop.target),
      ["queue:first", "queue:second"],
    );
    assert.equal(body.seq, store.latestSeq());
    assert.ok(body.hops.every((hop) => hop.seq > start));
    assert.equal(listening, 0, "an answer given at once holds no listener");
  });

  test("waits for the next hop when none is newer, then answers with it", async () => {
    const start = store.latestSeq();
    const answer = changes(`?after=${start}`).then(async (res) => (await res.json()) as Changes);
    // The request is held: its listener is on the store before anything is recorded.
    await eventually(() => (listening === 1 ? true : undefined), "the long poll to wait on the store");
    record("queue:woken");
    const body = await answer;
    assert.deepEqual(
      body.hops.map((hop) => hop.target),
      ["queue:woken"],
    );
    assert.equal(body.seq, store.latestSeq());
    assert.equal(listening, 0);
  });

  test("a client that goes away leaves no listener behind", async () => {
    const gone = new AbortController();
    const held = changes(`?after=${store.latestSeq()}`, { signal: gone.signal }).catch(
      (error: unknown) => error,
    );
    await eventually(() => (listening === 1 ? true : undefined), "the long poll to wait on the store");
    gone.abort();
    assert.ok((await held) instanceof Error);
    // Well before the poll's own end (CHANGES_WAIT_MS), which would also remove it.
    await eventually(() => (listening === 0 ? true : undefined), "the listener to be removed", {
      timeoutMs: CHANGES_WAIT_MS / 2,
    });
  });

  test("needs the session's token, and a cursor that is a seq", async () => {
    const bare = await fetch(`${server.url}/_sluice/changes?after=0`);
    assert.equal(bare.status, 401);
    const bad = await changes("?after=-1");
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { code: string }).code, "InvalidParameterValue");
  });

  test("a cursor beyond the newest hop (a reset state folder) gets the store's seq back at once", async () => {
    const res = await changes(`?after=${store.latestSeq() + 1000}`);
    assert.deepEqual(await res.json(), { seq: store.latestSeq(), hops: [] });
  });
});
