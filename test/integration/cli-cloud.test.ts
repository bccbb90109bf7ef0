import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ROOT } from "../support/cli-process.ts";
import { CREDENTIALS } from "../support/cloud-host.ts";

describe("`sluice cloud` from the command line", () => {
  const dir = mkdtempSync(join(tmpdir(), "sluice-cloud-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("prints its endpoint as JSON, serves AWS's APIs there, and stops cleanly on SIGTERM", async () => {
    const state = join(dir, "state");
    const child = spawn(
      process.execPath,
      [join(ROOT, "bin", "sluice.js"), "cloud", "--state", state, "--json"],
      {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    let stdout = "";
    const ready = await new Promise<{ url: string; stateDir: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line; got ${stdout}`)), 30_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const line = stdout.split("\n").find((l) => l.includes('"ready"'));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      });
      child.on("exit", () => reject(new Error(`exited early: ${stdout}`)));
    });
    assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.stateDir, state);
    const sqs = new SQSClient({ region: "eu-north-1", endpoint: ready.url, credentials: CREDENTIALS });
    const listed = await sqs.send(new ListQueuesCommand({}));
    assert.deepEqual(listed.QueueUrls ?? [], []);
    sqs.destroy();
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.ok(existsSync(join(state, "account.sqlite")));
  });
});
