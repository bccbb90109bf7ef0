import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { COMMANDS } from "../../src/cli/main.ts";
import { app, run } from "../support/cli-in-process.ts";
import { tempDir } from "../support/temp.ts";

/** Command names as the main help lists them. */
async function commandNames(): Promise<string[]> {
  const { out } = await run(["--help"]);
  const lines = out.split("\n");
  const start = lines.indexOf("Commands:");
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}(\S+)\s/.exec(line);
    if (!match?.[1]) break;
    names.push(match[1]);
  }
  return names;
}

const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

describe("sluice usage", { timeout: 60_000 }, () => {
  test("every command listed loads a module of that name and summary (the AWS-facing ones load lazily)", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.deepEqual([command.name, command.summary], [entry.name, entry.summary]);
    }
  });

  test("--help on every command prints its usage and exits 0", async () => {
    const names = await commandNames();
    for (const expected of ["dev", "invoke", "send", "queues", "redrive", "time", "init"]) {
      assert.ok(names.includes(expected), `main help lists ${expected}: ${names.join(", ")}`);
    }
    for (const name of names) {
      for (const flag of ["--help", "-h"]) {
        const result = await run([name, flag]);
        assert.equal(result.code, 0, `${name} ${flag}: ${result.err}`);
        assert.match(result.out, new RegExp(`Usage: sluice ${name}\\b`), `${name} ${flag}`);
      }
    }
    const top = await run(["--help"]);
    assert.equal(top.code, 0);
    assert.match(top.out, /^Usage: sluice <command>/);
  });

  test("an unknown command exits 2 and shows the commands", async () => {
    const result = await run(["frobnicate"]);
    assert.equal(result.code, 2);
    assert.match(result.err, /unknown command "frobnicate"/);
    assert.match(result.err, /Usage: sluice <command>/);
    assert.equal(result.out, "");
  });

  test("an unknown flag, a missing argument or a bad value exits 2 with the command's help", async (t) => {
    const dir = app(t, "cli");
    const cases: [string[], RegExp][] = [
      [["send", "work", "body", "--bogus", "--dir", dir], /Unknown option '--bogus'/],
      [["queues", "--dir"], /argument missing/],
      [["invoke", "--dir", dir], /name the function to invoke/],
      [["invoke", "greet", "--event", "{not json", "--dir", dir], /--event must be JSON/],
      [["send", "work", "body", "--delay", "soon", "--dir", dir], /--delay takes whole seconds/],
      [["send", "work", "body", "--attr", "novalue", "--dir", dir], /--attr takes NAME=VALUE/],
      [["time", "advance", "forever", "--dir", dir], /give a duration such as 30s/],
      [["dev", "--port", "http", dir], /--port takes a whole number/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(argv);
      assert.equal(result.code, 2, `${argv.join(" ")}: ${result.err}`);
      assert.match(result.err, message, argv.join(" "));
      assert.match(result.err, new RegExp(`Usage: sluice ${argv[0]}\\b`), argv.join(" "));
    }
  });

  test("extra positional arguments exit 2 naming them, with the command's usage, before anything runs", async (t) => {
    const dir = app(t, "cli");
    const cases: [string[], string][] = [
      [["send", "work", "body", "stray", "--dir", dir], '"stray"'],
      [["invoke", "greet", "one", "two", "--dir", dir], '"one", "two"'],
      [["redrive", "work-dlq", "extra", "--dir", dir], '"extra"'],
      [["time", "advance", "1m", "more", "--dir", dir], '"more"'],
      [["time", "now", "--dir", dir], ""],
      [["synth", dir, "prod"], '"prod"'],
      [["logs", "greet", dir, "extra"], '"extra"'],
    ];
    for (const [argv, extra] of cases) {
      const result = await run(argv);
      assert.equal(result.code, 2, `${argv.join(" ")}: ${result.err}`);
      if (extra !== "")
        assert.match(result.err, new RegExp(`unexpected argument[s]?: ${extra}`), argv.join(" "));
      assert.match(result.err, new RegExp(`Usage: sluice ${argv[0]}\\b`), argv.join(" "));
      assert.equal(result.out, "", `${argv.join(" ")} ran nothing`);
    }
  });

  test("an invalid definition prints every problem with its path, value, what is allowed and the fix, and exits 1", async (t) => {
    const dir = app(t, "invalid");
    const result = await run(["queues", "--dir", dir]);
    assert.equal(result.code, 1);
    assert.match(result.err, /invalid application definition, 3 problems:/);
    for (const [path, got] of [
      ["functions.worker.handler", '"src/worker"'],
      ["functions.worker.memorySize", "64"],
      ["functions.worker.consumes.maxConcurrency", "1"],
    ] as const) {
      const line = result.err.split("\n").find((l) => l.trim().startsWith(`${path}:`));
      assert.ok(line, `a line for ${path} in:\n${result.err}`);
      assert.match(line, new RegExp(`\\(got ${got.replace(/"/g, '\\"')}; allowed: .+; fix: .+\\)$`));
    }
    assert.doesNotMatch(result.err, STACK_LINE, "no stack trace");
    assert.doesNotMatch(result.err, /internal error/);
  });

  test("a folder without an app exits 1 and says how to make one", async (t) => {
    const temp = tempDir("sluice-cli-empty-");
    t.after(() => temp.cleanup());
    const result = await run(["queues", "--dir", temp.dir]);
    assert.equal(result.code, 1);
    assert.match(result.err, /no Sluice application in .*Run `sluice init`/);
    assert.doesNotMatch(result.err, STACK_LINE);
  });

  test("time without a running dev prints the local clock; time advance without one exits 2", async (t) => {
    const dir = app(t, "cli");
    const before = Date.now();
    const shown = await run(["time", "--dir", dir]);
    assert.equal(shown.code, 0, shown.err);
    const at = Date.parse(shown.out.trim());
    assert.ok(at >= before - 1000 && at <= Date.now() + 1000, `"${shown.out}" is about now`);
    const json = await run(["time", "--json", "--dir", dir]);
    const parsed = JSON.parse(json.out) as { now: number; iso: string };
    assert.equal(new Date(parsed.now).toISOString(), parsed.iso);
    const advance = await run(["time", "advance", "90m", "--dir", dir]);
    assert.equal(advance.code, 2);
    assert.match(advance.err, /time advance moves a running `sluice dev`; start one first/);
  });
});
