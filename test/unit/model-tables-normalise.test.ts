import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normaliseApp } from "../../src/model/normalise.ts";

const definition = {
  name: "scores",
  queues: { "failed-batches": {}, jobs: {} },
  tables: {
    games: {
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      indexes: {
        byPlayer: { partitionKey: { name: "player", type: "S" }, projection: "all" },
        byScore: { sortKey: { name: "score", type: "N" }, projection: ["player", "at"], local: true },
        recent: {
          partitionKey: { name: "day", type: "S" },
          sortKey: { name: "at", type: "N" },
          projection: "keys",
        },
      },
      stream: "NEW_AND_OLD_IMAGES",
      ttl: "expiresAt",
      pointInTimeRecovery: true,
    },
    notes: { partitionKey: { name: "id", type: "B" }, stream: true, deletionProtection: true },
  },
  functions: {
    rollup: {
      handler: "src/rollup.handler",
      consumes: {
        table: "games",
        batchSize: 500,
        maximumBatchingWindow: "5 seconds",
        startingPosition: "TRIM_HORIZON",
        maximumRetryAttempts: 3,
        maximumRecordAge: "1 hour",
        bisectBatchOnFunctionError: true,
        parallelizationFactor: 4,
        tumblingWindow: "1 minute",
        reportBatchItemFailures: true,
        onFailure: "failed-batches",
        filters: [{ eventName: ["INSERT"] }, { dynamodb: { Keys: { pk: { S: [{ prefix: "game#" }] } } } }],
      },
    },
    noter: { handler: "src/noter.handler", consumes: { table: "notes", startingPosition: "LATEST" } },
    work: {
      handler: "src/work.handler",
      consumes: { queue: "jobs", filters: [{ body: { kind: ["order"] } }] },
    },
  },
};

describe("normalising tables", () => {
  const spec = normaliseApp(definition);

  test("a table keeps its keys and options, named <app>-<name>, with every index's kind and projection", () => {
    assert.deepEqual(spec.tables?.games, {
      name: "games",
      tableName: "scores-games",
      partitionKey: { name: "pk", type: "S" },
      sortKey: { name: "sk", type: "N" },
      indexes: {
        byPlayer: {
          name: "byPlayer",
          kind: "global",
          partitionKey: { name: "player", type: "S" },
          projection: { type: "ALL" },
        },
        byScore: {
          name: "byScore",
          kind: "local",
          partitionKey: { name: "pk", type: "S" },
          sortKey: { name: "score", type: "N" },
          projection: { type: "INCLUDE", nonKeyAttributes: ["player", "at"] },
        },
        recent: {
          name: "recent",
          kind: "global",
          partitionKey: { name: "day", type: "S" },
          sortKey: { name: "at", type: "N" },
          projection: { type: "KEYS_ONLY" },
        },
      },
      stream: "NEW_AND_OLD_IMAGES",
      ttlAttribute: "expiresAt",
      pointInTimeRecovery: true,
      deletionProtection: false,
    });
  });

  test("stream: true is NEW_AND_OLD_IMAGES; absent options are off", () => {
    assert.deepEqual(spec.tables?.notes, {
      name: "notes",
      tableName: "scores-notes",
      partitionKey: { name: "id", type: "B" },
      indexes: {},
      stream: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: false,
      deletionProtection: true,
    });
  });

  test("a stage qualifies the physical table name", () => {
    assert.equal(normaliseApp(definition, { stage: "prod" }).tables?.games?.tableName, "scores-prod-games");
  });

  test("an app without tables has no tables in its spec", () => {
    const plain = normaliseApp({ name: "a", functions: { f: { handler: "src/f.handler" } } });
    assert.equal("tables" in plain, false);
    assert.equal("consumesTable" in (plain.functions.f ?? {}), false);
  });

  test("a stream mapping keeps every setting, durations in seconds and filters as JSON text", () => {
    assert.deepEqual(spec.functions.rollup?.consumesTable, {
      table: "games",
      batchSize: 500,
      maximumBatchingWindowSeconds: 5,
      startingPosition: "TRIM_HORIZON",
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: 3600,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 4,
      tumblingWindowSeconds: 60,
      reportBatchItemFailures: true,
      onFailure: "failed-batches",
      filters: ['{"eventName":["INSERT"]}', '{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"game#"}]}}}}'],
    });
    assert.equal(spec.functions.rollup?.consumes, undefined);
  });

  test("a stream mapping gets Lambda's defaults: 100 records, no window, -1 retries and age, one batch per shard", () => {
    assert.deepEqual(spec.functions.noter?.consumesTable, {
      table: "notes",
      batchSize: 100,
      maximumBatchingWindowSeconds: 0,
      startingPosition: "LATEST",
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: false,
      parallelizationFactor: 1,
      reportBatchItemFailures: false,
    });
  });

  test("-1 and a zero tumbling window are written as AWS's values", () => {
    const app = normaliseApp({
      ...definition,
      functions: {
        noter: {
          handler: "src/noter.handler",
          consumes: {
            table: "notes",
            startingPosition: "LATEST",
            maximumRecordAge: -1,
            maximumRetryAttempts: -1,
            tumblingWindow: "0 seconds",
          },
        },
      },
    });
    const consumes = app.functions.noter?.consumesTable;
    assert.equal(consumes?.maximumRecordAgeSeconds, -1);
    assert.equal(consumes?.maximumRetryAttempts, -1);
    assert.equal(consumes && "tumblingWindowSeconds" in consumes, false);
  });

  test("a queue's mapping keeps its filters as JSON text", () => {
    assert.deepEqual(spec.functions.work?.consumes?.filters, ['{"body":{"kind":["order"]}}']);
  });

  test("the spec is frozen", () => {
    assert.ok(Object.isFrozen(spec.tables?.games?.indexes.byScore?.projection));
    assert.ok(Object.isFrozen(spec.functions.rollup?.consumesTable?.filters));
  });
});
