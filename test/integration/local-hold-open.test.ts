/**
 * A close that waits on something unref'd (a warm worker's exit, a clock timer) must still finish:
 * holdingProcessOpen keeps the event loop open for as long as the close runs. Run in a child
 * process, as the failure it prevents is the process ending with the close unfinished.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { ROOT } from "../support/cli-process.ts";

const helper = pathToFileURL(join(ROOT, "src", "local", "hold-open.ts")).href;

/** Runs a module that awaits a promise only an unref'd timer settles; prints what it reached. */
function run(held: boolean): { stdout: string; status: number | null } {
  const wait = "new Promise((resolve) => setTimeout(resolve, 50).unref())";
  const body = held ? `await holdingProcessOpen(() => ${wait});` : `await ${wait};`;
  const code = [
    `import { holdingProcessOpen } from ${JSON.stringify(helper)};`,
    `process.stdout.write("closing;");`,
    body,
    `process.stdout.write("closed");`,
  ].join("\n");
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: child.stdout, status: child.status };
}

test("without a hold the process ends while the close still waits on an unref'd timer", () => {
  const { stdout } = run(false);
  assert.equal(stdout, "closing;");
});

test("holdingProcessOpen keeps the process open until the close has finished, then lets it end", () => {
  const { stdout, status } = run(true);
  assert.equal(stdout, "closing;closed");
  assert.equal(status, 0);
});
