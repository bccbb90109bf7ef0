/**
 * The control API's trace routes and console actions (issue 20) on a real `sluice dev` of the
 * trace-cli fixture, over a real socket: the session's token on every route, bad input as a 400
 * naming each bad field, an unknown trace as a 404, and each route doing what it says (traces,
 * one trace, counters, purge, put-event, replay, trigger a schedule).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DevSession } from "../../src/dev/dev-session.ts";
import type { ResourceCounters, TraceSummary, TraceTimeline } from "../../src/local/traces/index.ts";
import { ROOT } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp, type TempDir } from "../support/temp.ts";

const FIXTURE = join(ROOT, "test", "fixtures", "apps", "trace-cli");
const UNKNOWN_TRACE = "1-00000000-000000000000000000000000";

interface Answer {
  status: number;
  body: Record<string, unknown> & { code?: string; message?: string };
}

describe("the control API's trace routes", { timeout: 120_000 }, () => {
  let app: TempDir;
  let session: DevSession;
  let token = "";

  const call = async (
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    auth = token,
  ): Promise<Answer> => {
    const res = await fetch(`${session.url}/_sluice${path}`, {
      method,
      headers: {
        ...(auth === "" ? {} : { authorization: `Bearer ${auth}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer["body"] };
  };
  const ok = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const answer = await call(method, path, body);
    assert.equal(answer.status, 200, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  };
  /** The trace once it has a hop matching `done` (its hops are recorded as the work happens). */
  const traceWhen = (traceId: string, done: (t: TraceTimeline) => boolean) =>
    eventually(async () => {
      const answer = await call("GET", `/trace?id=${traceId}`);
      const timeline = answer.body as unknown as TraceTimeline;
      return answer.status === 200 && done(timeline) ? timeline : undefined;
    }, `trace ${traceId}`);

  before(async () => {
    app = copyApp(FIXTURE, "sluice-control-traces-");
    session = await DevSession.start({ dir: app.dir, watch: false });
    token = (JSON.parse(readFileSync(join(app.dir, ".sluice", "dev.json"), "utf8")) as { token: string })
      .token;
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  test("every trace route needs the session's token", async () => {
    const routes: ["GET" | "POST", string, unknown][] = [
      ["GET", "/traces", undefined],
      ["GET", `/trace?id=${UNKNOWN_TRACE}`, undefined],
      ["GET", "/counters", undefined],
      ["POST", "/purge", { queue: "orders" }],
      ["POST", "/put-event", { bus: "default", source: "shop", detailType: "x", detail: "{}" }],
      ["POST", "/replay", { traceId: UNKNOWN_TRACE, hopId: "0000000000000000" }],
      ["POST", "/schedules/trigger", { schedule: "tick" }],
    ];
    for (const [method, path, body] of routes) {
      for (const auth of ["", "not-the-token"]) {
        const answer = await call(method, path, body, auth);
        assert.deepEqual(
          [answer.status, answer.body.code],
          [401, "MissingControlToken"],
          `${method} ${path}`,
        );
      }
    }
  });

  test("bad input is a 400 that names every bad field", async () => {
    const cases: ["GET" | "POST", string, unknown, RegExp][] = [
      ["GET", "/traces?limit=0", undefined, /limit takes a whole number from 1 to 1000; got "0"/],
      [
        "GET",
        "/traces?limit=5000&since=-1",
        undefined,
        /since takes a whole number from 0 to \d+; got "-1"; limit takes a whole number from 1 to 1000; got "5000"/,
      ],
      ["GET", "/traces?failed=maybe", undefined, /failed takes 1, 0, true or false; got "maybe"/],
      [
        "GET",
        "/traces?color=red",
        undefined,
        /unknown parameter "color" \(takes failed, resource, since, until, after, limit\)/,
      ],
      ["GET", "/traces?after=1&after=2", undefined, /after is given more than once/],
      ["GET", "/trace", undefined, /id \(a trace id, 1-<8 hex>-<24 hex>\) is required/],
      ["GET", "/trace?id=nope", undefined, /id must be a trace id, 1-<8 hex>-<24 hex>; got "nope"/],
      ["POST", "/purge", {}, /queue must be a string; got nothing/],
      ["POST", "/purge", { queue: "" }, /queue must be 1 to 256 characters; got 0/],
      ["POST", "/purge", "[1]", /the request body must be a JSON object/],
      ["POST", "/purge", "{", /request body is not valid JSON/],
      [
        "POST",
        "/put-event",
        { bus: 1, source: "shop", detail: {} },
        /bus must be a string; got number 1; detailType must be a string; got nothing; detail must be a string; got an object/,
      ],
      [
        "POST",
        "/replay",
        { traceId: "x", hopId: "y" },
        /traceId must be a trace id.*got "x"; hopId must be a hop id, 16 hex digits; got "y"/,
      ],
      ["POST", "/replay", { traceId: UNKNOWN_TRACE }, /hopId must be a string; got nothing/],
      ["POST", "/schedules/trigger", { schedule: ["tick"] }, /schedule must be a string; got an array/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await call(method, path, body);
      assert.equal(answer.status, 400, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.message ?? "", message, `${method} ${path}`);
    }
  });

  test("an unknown trace, hop or schedule is a 404 that says so", async () => {
    const trace = await call("GET", `/trace?id=${UNKNOWN_TRACE}`);
    assert.deepEqual([trace.status, trace.body.code], [404, "SLUICE_TRACE_NOT_FOUND"]);
    assert.match(trace.body.message ?? "", /no trace 1-00000000-0{24} is recorded/);
    const replay = await call("POST", "/replay", { traceId: UNKNOWN_TRACE, hopId: "0123456789abcdef" });
    assert.deepEqual([replay.status, replay.body.code], [404, "SLUICE_TRACE_NOT_FOUND"]);
    const trigger = await call("POST", "/schedules/trigger", { schedule: "nope" });
    assert.deepEqual([trigger.status, trigger.body.code], [404, "SLUICE_SCHEDULE_NOT_FOUND"]);
    assert.match(trigger.body.message ?? "", /has tick/);
  });

  test("a message sent is one trace: listed, shown hop by hop, counted; and replayed as a new trace", async () => {
    await ok("POST", "/send", { queue: "orders", body: "order one" });
    const [listed] = await eventually(async () => {
      const traces = await ok<TraceSummary[]>("GET", "/traces?resource=queue%3Aorders&limit=10");
      const found = traces.filter((t) => t.resources.includes("function:fulfil"));
      return found.length > 0 ? found : undefined;
    }, "the sent message's trace to reach fulfil");
    assert.ok(listed);
    assert.equal(listed.outcome, "success");
    const timeline = await traceWhen(listed.traceId, (t) =>
      t.hops.some((h) => h.target === "function:fulfil"),
    );
    const send = timeline.hops.find((h) => h.kind === "send");
    assert.deepEqual([send?.target, send?.payload], ["queue:orders", "order one"]);
    const fulfil = timeline.hops.find((h) => h.target === "function:fulfil");
    assert.deepEqual([fulfil?.kind, fulfil?.outcome], ["invoke", "success"]);
    assert.ok(
      Object.values(timeline.logs)
        .flat()
        .some((line) => line.text.includes("fulfilling order one")),
      JSON.stringify(timeline.logs),
    );

    const counters = await eventually(async () => {
      const all = await ok<ResourceCounters[]>("GET", "/counters");
      const fn = all.find((c) => c.resource === "function:fulfil");
      return (fn?.invocations ?? 0) >= 1 ? all : undefined;
    }, "fulfil's invocation to be counted");
    const queue = counters.find((c) => c.resource === "queue:orders");
    assert.deepEqual(
      [typeof queue?.depth, typeof queue?.inFlight, typeof queue?.delayed, queue?.dlqDepth],
      ["number", "number", "number", 0],
    );
    assert.ok(counters.some((c) => c.resource === "function:accept" && c.invocations === 0));

    const replayed = await ok<{ traceId: string }>("POST", "/replay", {
      traceId: listed.traceId,
      hopId: send?.hopId,
    });
    assert.notEqual(replayed.traceId, listed.traceId);
    const again = await traceWhen(replayed.traceId, (t) =>
      t.hops.some((h) => h.target === "function:fulfil"),
    );
    const resent = again.hops.find((h) => h.kind === "send");
    assert.deepEqual(
      [resent?.source, resent?.target, resent?.payload],
      ["client", "queue:orders", "order one"],
    );
  });

  test("put-event puts on a bus the definition names; the rule's match is not replayable", async () => {
    const bad = await call("POST", "/put-event", {
      bus: "nope",
      source: "shop",
      detailType: "shipped",
      detail: "{}",
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message ?? "", /Event bus .*nope.* does not exist/);
    const malformed = await call("POST", "/put-event", {
      bus: "default",
      source: "shop",
      detailType: "shipped",
      detail: "[",
    });
    assert.equal(malformed.status, 400, JSON.stringify(malformed.body));

    const put = await ok<{ eventId: string }>("POST", "/put-event", {
      bus: "default",
      source: "shop",
      detailType: "shipped",
      detail: '{"id":7}',
    });
    assert.match(put.eventId, /^[0-9a-f-]{36}$/);
    const [summary] = await eventually(async () => {
      const traces = await ok<TraceSummary[]>("GET", "/traces?resource=function%3Anote");
      const put = traces.filter((t) => t.source === "client" && t.target.startsWith("bus:"));
      return put.length > 0 ? put : undefined;
    }, "the event's trace to reach note");
    assert.ok(summary);
    const timeline = await traceWhen(summary.traceId, (t) =>
      t.hops.some((h) => h.target === "function:note"),
    );
    const match = timeline.hops.find((h) => h.kind === "match");
    assert.ok(match, JSON.stringify(timeline.hops));
    const refused = await call("POST", "/replay", { traceId: summary.traceId, hopId: match.hopId });
    assert.deepEqual([refused.status, refused.body.code], [400, "SLUICE_TRACE_NOT_REPLAYABLE"]);
    const putHop = timeline.hops.find((h) => h.kind === "put");
    assert.ok(putHop);
    const replayed = await ok<{ traceId: string }>("POST", "/replay", {
      traceId: summary.traceId,
      hopId: putHop.hopId,
    });
    const again = await traceWhen(replayed.traceId, (t) => t.hops.some((h) => h.target === "function:note"));
    assert.equal(again.hops.find((h) => h.kind === "put")?.target, putHop.target);
  });

  test("purge empties a queue and answers how many messages went; a second within a minute is refused", async () => {
    for (const body of ["a", "b"]) await ok("POST", "/send", { queue: "orders-dlq", body });
    assert.deepEqual(await ok("POST", "/purge", { queue: "orders-dlq" }), { purged: 2 });
    const queues = await ok<{ name: string; visible: number }[]>("GET", "/queues");
    assert.equal(queues.find((q) => q.name === "orders-dlq")?.visible, 0);
    const again = await call("POST", "/purge", { queue: "orders-dlq" });
    assert.equal(again.body.code, "PurgeQueueInProgress");
    const unknown = await call("POST", "/purge", { queue: "nope" });
    assert.ok(unknown.status >= 400 && unknown.status < 500, JSON.stringify(unknown.body));
  });

  test("trigger fires a schedule now, as a new trace", async () => {
    const { traceId } = await ok<{ traceId: string }>("POST", "/schedules/trigger", { schedule: "tick" });
    const timeline = await traceWhen(traceId, (t) => t.hops.some((h) => h.target === "function:note"));
    assert.equal(timeline.hops[0]?.kind, "schedule");
    assert.equal(timeline.hops[0]?.source, "schedule:tick");
  });
});
