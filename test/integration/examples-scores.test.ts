import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { type DevProcess, ROOT, sluice, startDev } from "../support/cli-process.ts";
import { clientConfig } from "../support/endpoint.ts";
import { eventually } from "../support/poll.ts";
import { copyApp } from "../support/temp.ts";

interface Best {
  readonly best: { player: string; score: number; game: string }[];
  readonly version: number;
}

describe("examples/scores end to end in a real `sluice dev`", () => {
  let app: ReturnType<typeof copyApp>;
  let dev: DevProcess;
  let api: string;
  let ddb: DynamoDBClient;

  before(async () => {
    app = copyApp(join(ROOT, "examples", "scores"));
    dev = await startDev(app.dir, { args: ["--iam", "enforce"] });
    const text = dev.lines.join("\n");
    api = /HTTP API\s+(http:\/\/\S+)/.exec(text)?.[1] ?? "";
    const endpoint = /AWS endpoint\s+(http:\/\/\S+)/.exec(text)?.[1] ?? "";
    assert.ok(api && endpoint, `dev prints its URLs:\n${text}`);
    ddb = new DynamoDBClient(clientConfig(endpoint));
  });

  after(async () => {
    ddb?.destroy();
    await dev?.stop();
    app?.cleanup();
  });

  const best = async (): Promise<Best> => {
    const response = await fetch(`${api}/best`);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Best;
  };

  test("finished games roll up into the recent best, and no score is lost to concurrent batches", async () => {
    // Scores chosen so the top ten is unambiguous: 40 games, distinct scores.
    const games = Array.from({ length: 40 }, (_, i) => ({
      id: `g${i}`,
      player: `p${i % 7}`,
      score: ((i * 37) % 40) * 10 + 5,
    }));
    const answers = await Promise.all(
      games.map((game) => fetch(`${api}/games`, { method: "POST", body: JSON.stringify(game) })),
    );
    for (const answer of answers) assert.equal(answer.status, 201, await answer.text());
    const expected = [...games].sort((a, b) => b.score - a.score).slice(0, 10);
    const rolled = await eventually(
      async () => {
        const current = await best();
        return current.best.map((s) => s.game).join() === expected.map((g) => g.id).join()
          ? current
          : undefined;
      },
      "the best item to hold the ten best of all 40 games",
      { detail: () => dev.lines.slice(-30).join("\n") },
    );
    assert.deepEqual(
      rolled.best.map((s) => [s.player, s.score]),
      expected.map((g) => [g.player, g.score]),
    );
    assert.ok(rolled.version >= 1);
  });

  test("a game posted twice is recorded once (a conditional PutItem)", async () => {
    const game = { id: "dup", player: "ada", score: 1 };
    for (let i = 0; i < 2; i++) {
      const answer = await fetch(`${api}/games`, { method: "POST", body: JSON.stringify(game) });
      assert.equal(answer.status, 201);
    }
    const found = await ddb.send(
      new ScanCommand({
        TableName: "scores-games",
        FilterExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "game#dup" } },
      }),
    );
    assert.equal(found.Count, 1);
  });

  test("games expire through the table's TTL on Sluice's clock; the best item stays", async () => {
    const before = await ddb.send(new ScanCommand({ TableName: "scores-games", Select: "COUNT" }));
    assert.ok((before.Count ?? 0) > 1);
    const advanced = await sluice(["time", "advance", "2h", "--dir", app.dir]);
    assert.equal(advanced.code, 0, advanced.stderr);
    const left = await eventually(async () => {
      const scan = await ddb.send(new ScanCommand({ TableName: "scores-games" }));
      return scan.Count === 1 ? scan.Items : undefined;
    }, "TTL to delete every game");
    assert.equal(left?.[0]?.pk?.S, "best");
    const tables = await sluice(["tables", "--dir", app.dir]);
    assert.equal(tables.code, 0, tables.stderr);
    assert.match(tables.stdout, /scores-games\b.*\b1\b/);
    // The roll-up saw only INSERTs of games: TTL's REMOVEs are filtered out, so nothing failed.
    assert.ok(!dev.lines.some((l) => /\[rollup\].*(ERROR|Task timed out)/.test(l)), dev.lines.join("\n"));
  });
});
