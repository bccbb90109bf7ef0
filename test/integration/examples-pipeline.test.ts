import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

/**
 * examples/pipeline through the CLI: `sluice dev`, `send`, `time advance`, `queues`, `redrive`,
 * `invoke`, and dev's log format. The app's behaviour is tested with `sluice/testing` in
 * examples/pipeline/test/pipeline.test.ts.
 */
describe("examples/pipeline end to end in a real `sluice dev`", () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;

  before(async () => {
    app = copyApp(join(ROOT, "examples", "pipeline"));
    dev = await startDev(app.dir);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("`sluice send` prints the message id; dev prints each function's lines under its name", async () => {
    const sent = await sluice([
      "send",
      "pages",
      JSON.stringify({ site: "a.example", paths: ["/", "/about", "/blog"] }),
      "--dir",
      app.dir,
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /^sent [0-9a-f-]{36}$/m);
    // The flow itself (order, traces, DLQ) is examples/pipeline/test/pipeline.test.ts's; here, that
    // dev prints each function's lines under its name.
    const published = await dev.waitForCount(/\[publish\].*published https:\/\/a\.example\//, 3);
    assert.equal(published.length, 3);
  });

  test("in a copy of the app without node_modules, the local runtime provides the AWS SDK, as Lambda's does", async () => {
    // The copied app has no node_modules: like Lambda's Node.js runtime, the local one provides @aws-sdk.
    const url = /HTTP API\s+(http:\/\/\S+)/.exec(dev.lines.join("\n"))?.[1];
    assert.ok(url, "dev prints the HTTP API's URL");
    const response = await fetch(`${url}/crawls`, {
      method: "POST",
      body: JSON.stringify({ site: "h.example", paths: ["/from-http"] }),
    });
    assert.equal(response.status, 202, await response.clone().text());
    await dev.waitForLine(/\[publish\].*published https:\/\/h\.example\/from-http/);
  });

  test("lambda log lines carry START, END and REPORT in Lambda's format", () => {
    const lines = dev.lines.filter((l) => l.startsWith("[render]"));
    assert.ok(lines.some((l) => /START RequestId: [0-9a-f-]{36} Version: \$LATEST/.test(l)));
    assert.ok(lines.some((l) => /END RequestId: [0-9a-f-]{36}/.test(l)));
    assert.ok(
      lines.some((l) =>
        /REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB/.test(
          l,
        ),
      ),
    );
    assert.ok(
      lines.some((l) => /\t[0-9a-f-]{36}\tINFO\trendered a\.example/.test(l)),
      "handler output is tagged with its request id",
    );
  });

  test("`time advance` brings a failing page's receives, `queues` shows it parked in the DLQ, `redrive` sends it back", async () => {
    const sent = await sluice([
      "send",
      "pages",
      JSON.stringify({ site: "b.example", paths: ["/poison"] }),
      "--dir",
      app.dir,
    ]);
    assert.equal(sent.code, 0, sent.stderr);
    await dev.waitForCount(/\[render\].*cannot render b\.example\/poison/, 1);
    for (let receive = 2; receive <= 3; receive++) {
      // The visibility timeout is 30 s: move the dev's clock instead of waiting.
      const moved = await sluice(["time", "advance", "31s", "--dir", app.dir]);
      assert.equal(moved.code, 0, moved.stderr);
      await dev.waitForCount(/\[render\].*cannot render b\.example\/poison/, receive);
    }
    await sluice(["time", "advance", "31s", "--dir", app.dir]);
    const queues = await waitForQueues(app.dir, (stats) => depth(stats, "renders", "deadLetterDepth") === 1);
    assert.equal(depth(queues, "renders", "visible"), 0);

    const redriven = await sluice(["redrive", "renders-dlq", "--dir", app.dir, "--json"]);
    assert.equal(redriven.code, 0, redriven.stderr);
    assert.deepEqual(JSON.parse(redriven.stdout), { moved: 1 });
    await dev.waitForCount(/\[render\].*cannot render b\.example\/poison/, 4);
  });

  test("invoke through the running dev prints the function's result", async () => {
    const result = await sluice([
      "invoke",
      "publish",
      "--event",
      JSON.stringify({ site: "c.example", path: "/x", html: "<p>" }),
      "--dir",
      app.dir,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { published: "https://c.example/x" });
  });
});

type Stats = { name: string; visible: number; deadLetterDepth?: number }[];

function depth(stats: Stats, name: string, field: "visible" | "deadLetterDepth"): number | undefined {
  return stats.find((s) => s.name === name)?.[field];
}

function waitForQueues(dir: string, ready: (stats: Stats) => boolean): Promise<Stats> {
  return eventually(
    async () => {
      const result = await sluice(["queues", "--json", "--dir", dir]);
      assert.equal(result.code, 0, result.stderr);
      const stats = JSON.parse(result.stdout) as Stats;
      return ready(stats) ? stats : undefined;
    },
    "the queues to reach the expected state",
    { timeoutMs: 120_000 },
  );
}
