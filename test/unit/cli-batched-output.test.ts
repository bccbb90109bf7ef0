/**
 * `sluice dev`'s lines go to its streams once per turn of the event loop (issue 14): a log
 * redirected into the app folder took a write, and a watcher wake-up, per line.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { batchedOutput } from "../../src/cli/batched-output.ts";
import type { Output } from "../../src/cli/output.ts";

function recorder(): { output: Output; writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    output: {
      out: (text) => writes.push(`out:${text}`),
      err: (text) => writes.push(`err:${text}`),
      color: false,
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test("lines written in one turn reach the stream as one write, at the end of the turn", async () => {
  const { output, writes } = recorder();
  const batched = batchedOutput(output);
  batched.out("[hello] START RequestId: 1");
  batched.out("[hello] END RequestId: 1");
  batched.out("[http] GET /hello → 200 (0.8 ms)");
  assert.deepEqual(writes, [], "nothing is written within the turn");
  await nextTurn();
  assert.deepEqual(writes, [
    "out:[hello] START RequestId: 1\n[hello] END RequestId: 1\n[http] GET /hello → 200 (0.8 ms)",
  ]);
});

test("stdout and stderr lines keep their order", async () => {
  const { output, writes } = recorder();
  const batched = batchedOutput(output);
  batched.out("a");
  batched.out("b");
  batched.err("c");
  batched.out("d");
  await nextTurn();
  assert.deepEqual(writes, ["out:a\nb", "err:c", "out:d"]);
});

test("flush writes what is buffered at once, and a large burst does not wait for the turn", () => {
  const { output, writes } = recorder();
  const batched = batchedOutput(output);
  batched.out("ready");
  batched.flush();
  assert.deepEqual(writes, ["out:ready"]);
  const long = "x".repeat(70 * 1024);
  batched.out(long);
  assert.deepEqual(writes, ["out:ready", `out:${long}`]);
  assert.equal(batched.color, false);
});

test("lines wait for the schedule they are given, and go out together when it fires", async () => {
  const { output, writes } = recorder();
  let fire: (() => void) | undefined;
  const batched = batchedOutput(output, (flush) => {
    fire = flush;
  });
  batched.out("[hello] START RequestId: 1");
  await nextTurn();
  batched.out("[hello] END RequestId: 1");
  assert.deepEqual(writes, [], "nothing is written before the schedule fires");
  fire?.();
  assert.deepEqual(writes, ["out:[hello] START RequestId: 1\n[hello] END RequestId: 1"]);
});
