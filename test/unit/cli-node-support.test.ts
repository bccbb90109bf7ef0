import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { endOfLifeNote } from "../../src/cli/node-support.ts";
import type { Output } from "../../src/cli/output.ts";

async function runOn(nodeVersion: string, argv: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (text) => out.push(text), err: (text) => err.push(text), color: false };
  const code = await main(argv, output, nodeVersion);
  return { code, out, err };
}

describe("the Node.js end-of-life note", () => {
  test("on Node.js 20 the CLI says once, on stderr, in one line, that it is past end of life", async () => {
    const run = await runOn("20.20.2", ["--version"]);
    assert.equal(run.code, 0);
    assert.deepEqual(run.out, ["0.1.0"]);
    assert.equal(run.err.length, 1);
    const [note] = run.err;
    assert.doesNotMatch(note ?? "", /\n/);
    assert.match(note ?? "", /^note: Node\.js 20\.20\.2 reached end of life on 2026-04-30;/);
    assert.match(note ?? "", /install Node\.js 24 or 22/);
  });

  test("says it once even when the command fails", async () => {
    const run = await runOn("20.11.0", ["no-such-command"]);
    assert.equal(run.code, 2);
    assert.equal(run.err.filter((line) => line.includes("end of life")).length, 1);
  });

  test("says nothing on Node.js 22 and 24", async () => {
    for (const version of ["22.13.0", "24.11.1"]) {
      const run = await runOn(version, ["--version"]);
      assert.deepEqual(run.err, [], version);
      assert.equal(endOfLifeNote(version), undefined);
    }
  });
});
