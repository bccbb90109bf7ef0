import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { HoldGate } from "../support/hold-gate.ts";
import { tempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/reload", import.meta.url));
const CONFIG = readFileSync(join(FIXTURE, "sluice.config.ts"), "utf8");

let gate: HoldGate;
before(async () => {
  gate = await HoldGate.open();
});
after(() => gate.close());

function handlerSource(version: number): string {
  return `export async function handler(event: { gate?: string }): Promise<{ version: number }> {
  if (event.gate) await (await fetch(event.gate)).text();
  return { version: ${version} };
}
`;
}

/** A `dev` session on a fresh copy of the reload app, with a ManualClock and no file watching. */
async function start(t: TestContext): Promise<{ session: DevSession; dir: string; events: DevEvent[] }> {
  const temp = tempDir("sluice-dev-");
  cpSync(FIXTURE, temp.dir, { recursive: true });
  const events: DevEvent[] = [];
  const session = await DevSession.start({
    dir: temp.dir,
    clock: new ManualClock(),
    watch: false,
    onEvent: (event) => {
      if (event.type !== "log") events.push(event);
    },
  });
  t.after(async () => {
    await session.close();
    temp.cleanup();
  });
  return { session, dir: temp.dir, events };
}

async function version(session: DevSession, event: object = {}): Promise<number> {
  const result = await session.localCloud.invoke("version", JSON.stringify(event));
  assert.equal(result.functionError, undefined, result.payload);
  return (JSON.parse(result.payload) as { version: number }).version;
}

const write = (dir: string, file: string, text: string) => writeFileSync(join(dir, file), text);
const lastReload = (events: DevEvent[]) => events.filter((e) => e.type.startsWith("reload")).at(-1);
/** The error code of the last reload when it failed. */
const failedWith = (events: DevEvent[]) => {
  const last = lastReload(events);
  return last?.type === "reload-failed" ? (last.error as { code?: string }).code : undefined;
};

describe("dev session reload", { timeout: 60_000 }, () => {
  test("after a handler changes, new invocations run the new code", async (t) => {
    const { session, dir, events } = await start(t);
    assert.equal(await version(session), 1);
    write(dir, "src/version.ts", handlerSource(2));
    await session.reload(["src/version.ts"]);
    const reloaded = lastReload(events);
    assert.equal(reloaded?.type, "reloaded");
    assert.equal(reloaded?.type === "reloaded" && reloaded.restarted, false);
    assert.equal(await version(session), 2);
  });

  test("an invocation in flight during a reload finishes on the old code", async (t) => {
    const { session, dir } = await start(t);
    const arrived = gate.arrivals.items.length;
    const inFlight = version(session, { gate: `${gate.url}?id=in-flight` });
    await gate.arrived(arrived + 1);
    write(dir, "src/version.ts", handlerSource(2));
    await session.reload(["src/version.ts"]);
    assert.equal(await version(session), 2, "a new invocation runs the new code meanwhile");
    gate.release("in-flight");
    assert.equal(await inFlight, 1);
  });

  test("a definition change restarts the cloud and keeps the messages of existing queues", async (t) => {
    const { session, dir, events } = await start(t);
    const before = session.localCloud;
    before.sqs.sendMessage("jobs", { body: "kept-1" });
    before.sqs.sendMessage("jobs", { body: "kept-2" });
    write(dir, "sluice.config.ts", CONFIG.replace("queues: { jobs: {} }", "queues: { jobs: {}, extra: {} }"));
    await session.reload(["sluice.config.ts"]);
    const reloaded = lastReload(events);
    assert.equal(reloaded?.type === "reloaded" && reloaded.restarted, true);
    const cloud = session.localCloud;
    assert.notEqual(cloud, before);
    assert.equal(cloud.sqs.stats("jobs").visible, 2);
    assert.equal(cloud.sqs.getQueue("extra").queueName, "reload-extra");
    assert.ok(session.spec.queues.extra);
    assert.equal(await version(session), 1);
  });

  test("a syntax error in a handler reports reload-failed and the previous code keeps serving", async (t) => {
    const { session, dir, events } = await start(t);
    assert.equal(await version(session), 1);
    write(dir, "src/version.ts", "export async function handler( {\n");
    await session.reload(["src/version.ts"]);
    assert.equal(failedWith(events), "SLUICE_BUNDLE");
    assert.equal(await version(session), 1);
    write(dir, "src/version.ts", handlerSource(3));
    await session.reload(["src/version.ts"]);
    assert.equal(lastReload(events)?.type, "reloaded");
    assert.equal(await version(session), 3);
  });

  test("a definition change that failed to build with a broken handler restarts the cloud once the handler is fixed", async (t) => {
    const { session, dir, events } = await start(t);
    write(dir, "sluice.config.ts", CONFIG.replace("queues: { jobs: {} }", "queues: { jobs: {}, extra: {} }"));
    write(dir, "src/version.ts", "export async function handler( {\n");
    await session.reload(["sluice.config.ts", "src/version.ts"]);
    assert.equal(failedWith(events), "SLUICE_BUNDLE");
    assert.equal(session.spec.queues.extra, undefined, "the running definition is still the old one");
    write(dir, "src/version.ts", handlerSource(2));
    await session.reload(["src/version.ts"]);
    const reloaded = lastReload(events);
    assert.equal(reloaded?.type === "reloaded" && reloaded.restarted, true);
    assert.equal(session.localCloud.sqs.getQueue("extra").queueName, "reload-extra");
    assert.equal(await version(session), 2);
  });

  test("an invalid definition reports reload-failed and the app keeps running as it was", async (t) => {
    const { session, dir, events } = await start(t);
    write(
      dir,
      "sluice.config.ts",
      CONFIG.replace('handler: "src/version.handler"', 'handler: "src/version"'),
    );
    await session.reload(["sluice.config.ts"]);
    assert.equal(failedWith(events), "SLUICE_INVALID_CONFIG");
    assert.equal(await version(session), 1);
  });
});
