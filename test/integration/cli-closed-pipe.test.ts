/** `sluice ... | head -1`: the reader closes the pipe early, and the CLI ends quietly. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";
import { EVENT_TIMEOUT_MS, ROOT } from "../support/cli-process.ts";

test("output into a pipe the reader already closed exits 0 without a stack trace", async () => {
  const child = spawn(process.execPath, [join(ROOT, "bin", "sluice.js"), "--help"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Close the read end before the CLI writes, as `head` does once it has its lines.
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await Promise.race([
    once(child, "exit"),
    new Promise((_, reject) => setTimeout(() => reject(new Error("no exit")), EVENT_TIMEOUT_MS).unref()),
  ])) as [number | null];
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /EPIPE|at .*\(.*:\d+:\d+\)/);
});
