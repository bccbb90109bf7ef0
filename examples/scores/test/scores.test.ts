/**
 * The scores roll-up's behaviour through `sluice/testing`: games posted to the HTTP API, the
 * table's stream rolled into the "recent best" item, the table read with the DynamoDB client a
 * script would use, and the games' TTL passed with `clock.advance`. `npm test` runs it; `sluice
 * dev`'s side is tested in test/integration/examples-scores.test.ts.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { startApp, type TestApp } from "sluice/testing";

const APP = resolve(import.meta.dirname, "..");
const GAMES = "scores-games";

interface Best {
  readonly best: { player: string; score: number; game: string }[];
  readonly version: number;
}

describe("examples/scores", () => {
  let app: TestApp;
  let ddb: DynamoDBClient;
  beforeEach(async () => {
    // The clock starts at the wall clock's now: the functions stamp games with Date.now().
    app = await startApp(APP);
    ddb = new DynamoDBClient({
      endpoint: app.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterEach(async () => {
    ddb?.destroy();
    await app?.close();
  });

  const post = (game: { id: string; player: string; score: number }) =>
    fetch(`${app.httpUrl}/games`, { method: "POST", body: JSON.stringify(game) });
  const best = async (): Promise<Best> => {
    const response = await fetch(`${app.httpUrl}/best`);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Best;
  };
  const count = async () => (await ddb.send(new ScanCommand({ TableName: GAMES, Select: "COUNT" }))).Count;

  test("finished games roll up into the recent best, and no score is lost to concurrent batches", async () => {
    // 40 games with distinct scores, posted at once: the top ten is unambiguous.
    const games = Array.from({ length: 40 }, (_, i) => ({
      id: `g${i}`,
      player: `p${i % 7}`,
      score: ((i * 37) % 40) * 10 + 5,
    }));
    const answers = await Promise.all(games.map(post));
    for (const answer of answers) assert.equal(answer.status, 201, await answer.text());
    await app.settle();
    const expected = [...games].sort((a, b) => b.score - a.score).slice(0, 10);
    const rolled = await best();
    assert.deepEqual(
      rolled.best.map((s) => [s.game, s.player, s.score]),
      expected.map((g) => [g.id, g.player, g.score]),
    );
    assert.ok(rolled.version >= 1);
    assert.deepEqual(app.traces({ failed: true }), [], "no roll-up failed");
    assert.equal(app.queue("failed-batches").depth, 0);
  });

  test("a game posted twice is recorded once (a conditional PutItem)", async () => {
    const game = { id: "dup", player: "ada", score: 1 };
    for (let i = 0; i < 2; i++) assert.equal((await post(game)).status, 201);
    await app.settle();
    const found = await ddb.send(
      new ScanCommand({
        TableName: GAMES,
        FilterExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "game#dup" } },
      }),
    );
    assert.equal(found.Count, 1);
    assert.deepEqual(
      (await best()).best.map((s) => s.game),
      ["dup"],
    );
  });

  test("a game that is not a game is refused with 400", async () => {
    const answer = await fetch(`${app.httpUrl}/games`, { method: "POST", body: '{"id": "x"}' });
    assert.equal(answer.status, 400);
    assert.equal(await count(), 0);
  });

  test("games expire through the table's TTL on the app's clock; the best item stays and nothing fails", async () => {
    for (const [i, score] of [10, 20, 30].entries()) await post({ id: `t${i}`, player: "bo", score });
    await app.settle();
    assert.equal(await count(), 4, "three games and the best item");
    // A game lives an hour (its expiresAt); a minute more gives the TTL sweep its turn.
    await app.clock.advance("61 minutes");
    const left = await ddb.send(new ScanCommand({ TableName: GAMES }));
    assert.deepEqual(
      left.Items?.map((item) => item.pk?.S),
      ["best"],
    );
    // The roll-up sees only INSERTs of games: TTL's REMOVEs are filtered out, so nothing failed.
    assert.deepEqual(app.traces({ failed: true }), []);
    assert.equal(app.queue("failed-batches").depth, 0);
  });
});
