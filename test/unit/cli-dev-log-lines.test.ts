import assert from "node:assert/strict";
import { test } from "node:test";
import { printEvent } from "../../src/cli/commands/dev.ts";
import type { Output } from "../../src/cli/output.ts";

function captured(): { output: Output; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    output: { out: (text) => lines.push(text), err: (text) => lines.push(`err: ${text}`), color: false },
  };
}

const line = (text: string) => ({ functionName: "api", requestId: "r1", text, timestamp: 0 });

test("dev prints a one-line log entry once, behind its function's name", () => {
  const { output, lines } = captured();
  printEvent(output, { type: "log", line: line("START RequestId: r1 Version: $LATEST") });
  assert.deepEqual(lines, ["[api] START RequestId: r1 Version: $LATEST"]);
});

test("dev prints each line of a multi-line entry behind the name, without an empty last line", () => {
  const { output, lines } = captured();
  printEvent(output, { type: "log", line: line("first\nsecond\n") });
  printEvent(output, { type: "log", line: line("ends\n"), region: "eu-west-1" });
  assert.deepEqual(lines, ["[api] first", "[api] second", "[api eu-west-1] ends"]);
});
