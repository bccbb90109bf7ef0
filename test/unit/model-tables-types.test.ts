import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../../src/model/config-error.ts";
import { defineApp } from "../../src/model/define-app.ts";
import { normaliseApp } from "../../src/model/normalise.ts";
import { resourcesOf } from "../../src/runtime/resources.ts";

const tables = {
  games: { partitionKey: { name: "pk", type: "S" }, stream: "NEW_AND_OLD_IMAGES" },
} as const;

test("the issue's definition type-checks and normalises", () => {
  const app = defineApp({
    name: "scores",
    queues: { "failed-batches": {} },
    tables: {
      games: {
        partitionKey: { name: "pk", type: "S" },
        sortKey: { name: "sk", type: "N" },
        indexes: { byPlayer: { partitionKey: { name: "player", type: "S" }, projection: "all" } },
        stream: "NEW_AND_OLD_IMAGES",
        ttl: "expiresAt",
      },
    },
    functions: {
      rollup: {
        handler: "src/rollup.handler",
        consumes: {
          table: "games",
          batchSize: 100,
          startingPosition: "LATEST",
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 3,
          onFailure: "failed-batches",
          reportBatchItemFailures: true,
        },
        permissions: [{ actions: ["dynamodb:PutItem"], resources: ["table:games"] }],
      },
    },
  });
  assert.equal(normaliseApp(app).functions.rollup?.consumesTable?.table, "games");
});

test("what the compiler rejects about tables, normaliseApp rejects too, at the same place", () => {
  const bad = () => [
    defineApp({
      name: "a",
      tables,
      functions: {
        roll: {
          handler: "src/roll.handler",
          // @ts-expect-error "gmaes" is not a table
          consumes: { table: "gmaes", startingPosition: "LATEST" },
        },
      },
    }),
    defineApp({
      name: "a",
      tables,
      functions: {
        work: {
          handler: "src/w.handler",
          // @ts-expect-error "table:gmaes" names no table
          permissions: [{ actions: ["dynamodb:GetItem"], resources: ["table:gmaes"] }],
        },
      },
    }),
    defineApp({
      name: "a",
      tables,
      // @ts-expect-error a stream's mapping needs a startingPosition
      functions: { roll: { handler: "src/roll.handler", consumes: { table: "games" } } },
    }),
    defineApp({
      name: "a",
      queues: { jobs: {} },
      tables,
      functions: {
        roll: {
          handler: "src/roll.handler",
          // @ts-expect-error a function consumes a queue or a table, not both
          consumes: { queue: "jobs", table: "games", startingPosition: "LATEST" },
        },
      },
    }),
    defineApp({
      name: "a",
      tables,
      functions: {
        roll: {
          handler: "src/roll.handler",
          // @ts-expect-error the on-failure destination must be one of the app's queues
          consumes: { table: "games", startingPosition: "LATEST", onFailure: "nowhere" },
        },
      },
    }),
    defineApp({
      name: "a",
      // @ts-expect-error "X" is not a key type
      tables: { games: { partitionKey: { name: "pk", type: "X" } } },
      functions: { work: { handler: "src/w.handler" } },
    }),
  ];
  const paths = bad().map((definition) => {
    try {
      normaliseApp(definition);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.issues.map((issue) => issue.path);
    }
    return [];
  });
  assert.deepEqual(paths, [
    ["functions.roll.consumes.table"],
    ["functions.work.permissions[0].resources[0]"],
    ["functions.roll.consumes.startingPosition"],
    ["functions.roll.consumes"],
    ["functions.roll.consumes.onFailure"],
    ["tables.games.partitionKey.type"],
  ]);
});

test("resources.tableName takes only the app's table names when narrowed", () => {
  const resources = resourcesOf<never, never, never, "games">({ SLUICE_TABLE_GAMES_NAME: "a-games" });
  assert.equal(resources.tableName("games"), "a-games");
  // @ts-expect-error "gmaes" is not one of the app's tables
  assert.throws(() => resources.tableName("gmaes"));
});
