import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, sluice } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const RELOAD = join(ROOT, "test", "fixtures", "apps", "reload");

test("a command never opens the state file under a running dev that is too busy to answer: it waits, then says so", {
  timeout: 120_000,
}, async (t) => {
  const app = copyApp(RELOAD);
  // Stands in for a dev that runs but does not answer: a live process holding the app's lock, and
  // a control endpoint that accepts connections and never replies.
  const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    holder.kill();
    app.cleanup();
  });
  const port = (silent.address() as { port: number }).port;
  const stateDir = join(app.dir, ".sluice");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(stateDir, "dev.lock"),
    `${JSON.stringify({ pid: holder.pid, startedAt: new Date().toISOString() })}\n`,
  );
  writeFileSync(
    join(stateDir, "dev.json"),
    JSON.stringify({
      pid: holder.pid,
      url: `http://127.0.0.1:${port}`,
      startedAt: new Date().toISOString(),
      token: "t",
    }),
    { mode: 0o600 },
  );
  const result = await sluice(["queues", "--dir", app.dir]);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    new RegExp(`sluice dev \\(pid ${holder.pid}\\) holds this app's local cloud but did not answer`),
  );
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
});
