import assert from "node:assert/strict";
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, type TestContext, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type DevEvent, DevSession } from "../../src/dev/dev-session.ts";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { tempDir } from "../support/temp.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/apps/reload", import.meta.url));

/** A `dev` session on a fresh copy of the reload app, with a ManualClock and no file watching. */
async function start(
  t: TestContext,
  options: { inactiveAfterMs?: number } = {},
): Promise<{ session: DevSession; dir: string; events: DevEvent[]; clock: ManualClock }> {
  const temp = tempDir("sluice-dev-states-");
  cpSync(FIXTURE, temp.dir, { recursive: true });
  const events: DevEvent[] = [];
  const clock = new ManualClock();
  const session = await DevSession.start({
    dir: temp.dir,
    clock,
    watch: false,
    ...options,
    onEvent: (event) => {
      if (event.type !== "log") events.push(event);
    },
  });
  t.after(async () => {
    await session.close();
    temp.cleanup();
  });
  return { session, dir: temp.dir, events, clock };
}

function handler(version: number, init = ""): string {
  return `${init}
export async function handler(): Promise<{ version: number }> {
  return { version: ${version} };
}
`;
}

async function version(session: DevSession): Promise<{ version: number; coldStart: boolean }> {
  const result = await session.localCloud.invoke("version", "{}");
  assert.equal(result.functionError, undefined, result.payload);
  return { ...(JSON.parse(result.payload) as { version: number }), coldStart: result.coldStart };
}

const state = (session: DevSession) => session.localCloud.lambda.configuration("version");
const lastReload = (events: DevEvent[]) => events.filter((e) => e.type.startsWith("reload")).at(-1);

/** Activation runs in the background after start; wait (in real time) for it to settle. */
async function settled(session: DevSession): Promise<void> {
  const giveUpAt = Date.now() + 30_000;
  while (state(session).state === "Pending" && Date.now() < giveUpAt)
    await new Promise((r) => setTimeout(r, 2));
}

describe("function states in a dev session", { timeout: 60_000 }, () => {
  test("functions become Active after dev starts, before anything invokes them", async (t) => {
    const { session } = await start(t);
    await settled(session);
    assert.deepEqual(state(session), { state: "Active", lastUpdateStatus: "Successful" });
    assert.equal((await version(session)).coldStart, true, "the check environment was not kept warm");
  });

  test("a function left uninvoked for the --inactive-after period is Inactive", async (t) => {
    const { session, clock } = await start(t, { inactiveAfterMs: 30 * 60_000 });
    await version(session);
    await clock.advance(30 * 60_000);
    assert.equal(state(session).state, "Inactive");
    assert.equal((await version(session)).coldStart, true);
    assert.equal(state(session).state, "Active");
  });

  test("new code that throws while loading fails the update; the previous code keeps serving, even from new environments", async (t) => {
    const { session, dir, events, clock } = await start(t);
    assert.equal((await version(session)).version, 1);
    // Three failed updates in a row: the builds they leave behind do not push out the code in use.
    for (const attempt of [1, 2, 3]) {
      writeFileSync(join(dir, "src/version.ts"), handler(2, `throw new Error("bad config ${attempt}");`));
      await session.reload(["src/version.ts"]);
      const failed = lastReload(events);
      assert.equal(failed?.type, "reload-failed");
      assert.equal(
        failed?.type === "reload-failed" && (failed.error as { code: string }).code,
        "SLUICE_CODE_LOAD_FAILED",
      );
      assert.match((failed?.type === "reload-failed" && (failed.error as Error).message) || "", /bad config/);
      const now = state(session);
      assert.equal(now.state, "Active");
      assert.equal(now.lastUpdateStatus, "Failed");
      assert.equal(now.lastUpdateStatusReasonCode, "FunctionError");
      assert.match(now.lastUpdateStatusReason ?? "", new RegExp(`bad config ${attempt}`));
    }
    await clock.advance(600_000); // the warm environment is reclaimed
    const cold = await version(session);
    assert.deepEqual(cold, { version: 1, coldStart: true });

    writeFileSync(join(dir, "src/version.ts"), handler(3));
    await session.reload(["src/version.ts"]);
    assert.equal(lastReload(events)?.type, "reloaded");
    assert.deepEqual(state(session), { state: "Active", lastUpdateStatus: "Successful" });
    assert.equal((await version(session)).version, 3);
  });

  test("a build that fails leaves LastUpdateStatus Failed with the build error", async (t) => {
    const { session, dir, events } = await start(t);
    await version(session);
    writeFileSync(join(dir, "src/version.ts"), "export async function handler( {\n");
    await session.reload(["src/version.ts"]);
    assert.equal(lastReload(events)?.type, "reload-failed");
    const now = state(session);
    assert.equal(now.state, "Active");
    assert.equal(now.lastUpdateStatus, "Failed");
    assert.equal(now.lastUpdateStatusReasonCode, "InvalidZipFileException");
    assert.match(now.lastUpdateStatusReason ?? "", /version\.ts/);
    assert.equal((await version(session)).version, 1);
  });
});
