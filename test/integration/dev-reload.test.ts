import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readDevState } from "../../src/dev/dev-state-file.ts";
import { remoteOperations } from "../../src/local/control/control-client.ts";
import { EVENT_TIMEOUT_MS, ROOT } from "../support/cli-process.ts";
import { copyApp } from "../support/temp.ts";

const BIN = join(ROOT, "bin", "sluice.js");

/** Output lines of a child process, with a way to wait for one (or fail with the output so far). */
function follow(child: ChildProcess): (pattern: RegExp) => Promise<string> {
  const lines: string[] = [];
  const wakers = new Set<() => void>();
  let exited = false;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts);
      for (const wake of wakers) wake();
    });
  }
  child.on("exit", () => {
    exited = true;
    for (const wake of wakers) wake();
  });
  return (pattern) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}`)), EVENT_TIMEOUT_MS);
      const finish = (error?: Error, line?: string) => {
        clearTimeout(timer);
        wakers.delete(check);
        if (error) reject(new Error(`${error.message}; output:\n${lines.join("\n")}`));
        else resolve(line ?? "");
      };
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) finish(undefined, line);
        else if (exited) finish(new Error(`dev exited before ${pattern}`));
      };
      wakers.add(check);
      check();
    });
}

describe("sluice dev watches the app", { timeout: 120_000 }, () => {
  test("a saved handler change reloads the running dev, and the next invoke runs the new code", async () => {
    const app = copyApp(join(ROOT, "test", "fixtures", "apps", "reload"));
    const child = spawn(process.execPath, [BIN, "dev", app.dir], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const waitFor = follow(child);
    try {
      await waitFor(/ready in \d+ ms/);
      // Invoke over the dev's control endpoint, as `sluice invoke` does when a dev runs.
      const state = readDevState(join(app.dir, ".sluice"));
      const url = state?.url;
      assert.ok(url && state, "dev wrote its endpoint to .sluice/dev.json");
      const ops = remoteOperations(url, state.token);
      const version = async () => {
        const response = await ops.invoke({ function: "version", payload: "{}" });
        assert.equal(response.async, false);
        return response.async ? undefined : JSON.parse(response.payload);
      };
      assert.deepEqual(await version(), { version: 1 });

      writeFileSync(
        join(app.dir, "src", "version.ts"),
        "export async function handler(): Promise<{ version: number }> {\n  return { version: 2 };\n}\n",
      );
      await waitFor(/^reloaded in \d+ ms/);
      assert.deepEqual(await version(), { version: 2 });
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      await exited;
      app.cleanup();
    }
  });
});
