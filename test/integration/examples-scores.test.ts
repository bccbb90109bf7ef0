/**
 * examples/scores through the CLI: `sluice dev --iam enforce` prints its URLs, serves the app's
 * HTTP API, and `sluice time advance` / `sluice tables` act on the running dev. The app's
 * behaviour (the roll-up, the conditional write, TTL on the clock) is tested with
 * `sluice/testing` in examples/scores/test/scores.test.ts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

describe("examples/scores end to end in a real `sluice dev`", () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let api: string;

  before(async () => {
    app = copyApp(join(ROOT, "examples", "scores"));
    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    const text = dev.lines.join("\n");
    api = /HTTP API\s+(http:\/\/\S+)/.exec(text)?.[1] ?? "";
    assert.ok(api, `dev prints its URLs:\n${text}`);
  });

  after(async () => {
    await dev?.stop();
    app?.cleanup();
  });

  test("the README's commands: POST /games and GET /best on dev's URL, `tables` counts, `time advance 2h` expires the games", async () => {
    for (const [i, score] of [924, 17].entries()) {
      const answer = await fetch(`${api}/games`, {
        method: "POST",
        body: JSON.stringify({ id: `g${i}`, player: "ada", score }),
      });
      assert.equal(answer.status, 201, await answer.text());
    }
    await eventually(
      async () => {
        const best = (await (await fetch(`${api}/best`)).json()) as { best: { score: number }[] };
        return best.best.length === 2 ? best : undefined;
      },
      "GET /best to list both games",
      { detail: () => dev.lines.slice(-30).join("\n") },
    );
    const tables = await sluice(["tables", "--dir", app.dir]);
    assert.equal(tables.code, 0, tables.stderr);
    assert.match(tables.stdout, /scores-games\b.*\b3\b/, "two games and the best item");

    const advanced = await sluice(["time", "advance", "2h", "--dir", app.dir]);
    assert.equal(advanced.code, 0, advanced.stderr);
    await eventually(async () => {
      const listed = await sluice(["tables", "--dir", app.dir]);
      return /scores-games\b.*\b1\b/.test(listed.stdout) ? listed : undefined;
    }, "`sluice tables` to count only the best item once TTL deleted the games");
  });
});
