/**
 * `sluice cloud`'s clock, moved by `sluice time advance`, resumes where it stood when the host is
 * started again on the same state folder (src/local/clock/clock-file.ts).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { CloudHost } from "../../src/local/cloud-host/cloud-host.ts";
import { readStateJson, remoteOperations } from "../../src/local/control/index.ts";

const DAY_MS = 86_400_000;

async function controlOf(host: CloudHost, stateDir: string) {
  const control = readStateJson<{ url: string; token: string }>(stateDir, "control.json");
  assert.ok(control, "the host wrote its control file");
  return remoteOperations(host.url, control.token);
}

test("sluice cloud's advanced clock does not go back when the host starts again", async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), "sluice-cloud-clock-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await CloudHost.start({ stateDir, port: 0 });
  const { now: advanced } = await (await controlOf(first, stateDir)).advanceTime(DAY_MS);
  assert.ok(advanced >= Date.now() + DAY_MS - 60_000);
  await first.close();

  const second = await CloudHost.start({ stateDir, port: 0 });
  t.after(() => second.close());
  const { now } = await (await controlOf(second, stateDir)).time();
  assert.ok(
    now >= advanced,
    `${new Date(now).toISOString()} is not behind ${new Date(advanced).toISOString()}`,
  );
});
