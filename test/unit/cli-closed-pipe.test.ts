import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { exitQuietlyOnClosedPipe } from "../../src/cli/closed-pipe.ts";

test("a closed pipe (EPIPE) ends the CLI with status 0; other stream errors still throw", () => {
  const stdout = new EventEmitter();
  const exits: number[] = [];
  exitQuietlyOnClosedPipe([stdout], (code) => exits.push(code));
  stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  assert.deepEqual(exits, [0]);
  assert.throws(
    () => stdout.emit("error", Object.assign(new Error("write EIO"), { code: "EIO" })),
    /write EIO/,
  );
  assert.deepEqual(exits, [0]);
});
